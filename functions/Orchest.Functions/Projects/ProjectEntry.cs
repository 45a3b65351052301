namespace Orchest.Functions.Projects;

/// <summary>A registered project: a repository and the branch runs use by default. Credentials by name only.</summary>
public sealed record ProjectEntry(string Id, string Name, string Repository, string Branch, string? Credential, DateTimeOffset Created);
