namespace Orchest.Functions.Api.Contracts;

/// <summary>The job file that declares a job: its path, the commit whose version applies, and its push trigger.</summary>
public sealed record JobDeclarationResponse(string File, string Commit, bool OnPush, IReadOnlyList<string> Branches, IReadOnlyList<string> Paths);
