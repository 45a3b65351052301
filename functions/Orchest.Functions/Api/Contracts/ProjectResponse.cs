namespace Orchest.Functions.Api.Contracts;

/// <summary>A registered project. Credentials appear only by name.</summary>
public sealed record ProjectResponse(string Id, string Name, string Repository, string Branch, string? Credential, DateTimeOffset Created, string? WebhookSecret = null);
