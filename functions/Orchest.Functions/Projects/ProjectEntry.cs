namespace Orchest.Functions.Projects;

/// <summary>
/// A registered project: a repository and the branch runs use by default. Credentials and the git webhook
/// secret by name only (<c>Orchest:GitCredentials:&lt;name&gt;</c>, <c>Orchest:WebhookSecrets:&lt;name&gt;</c>).
/// </summary>
public sealed record ProjectEntry(string Id, string Name, string Repository, string Branch, string? Credential, DateTimeOffset Created, string? WebhookSecret = null);
