namespace Orchest.Functions.Api.Contracts;

/// <summary>Body of <c>POST /api/projects</c>.</summary>
public sealed record CreateProjectRequest(string? Name, string? Repository, string? Branch, string? Credential, string? WebhookSecret = null);
