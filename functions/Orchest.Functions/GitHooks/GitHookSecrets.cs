namespace Orchest.Functions.GitHooks;

/// <summary>
/// Git webhook secrets by name (section <c>Orchest:WebhookSecrets</c>: <c>Orchest:WebhookSecrets:&lt;name&gt;=&lt;secret&gt;</c>).
/// A project names its secret (<c>webhook_secret</c>); without a name, the secret named after the project's id is used.
/// Read on every delivery, so a rotated secret applies without a restart; never stored or logged.
/// </summary>
internal sealed class GitHookSecrets(IConfiguration configuration)
{
    public const string Section = "Orchest:WebhookSecrets";

    /// <summary>The secret for the project, or null when configuration has none under its name.</summary>
    public string? Find(string projectId, string? name) =>
        configuration.GetSection(Section)[string.IsNullOrEmpty(name) ? projectId : name] is { Length: > 0 } secret ? secret : null;
}
