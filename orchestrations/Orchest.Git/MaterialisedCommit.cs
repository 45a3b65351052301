namespace Orchest.Git;

/// <summary>A commit's files on this host, shared and read-only.</summary>
/// <param name="Commit">The full sha.</param>
/// <param name="Directory"><c>&lt;cache&gt;/commits/&lt;sha&gt;</c>.</param>
/// <param name="Created">True for the one call (on this machine) that wrote it; false when it was reused.</param>
public sealed record MaterialisedCommit(string Commit, string Directory, bool Created);
