namespace Orchest.Functions.Hosting;

/// <summary>The function host's own settings (section <c>Orchest</c>).</summary>
public sealed class OrchestHostOptions
{
    public const string Section = "Orchest";

    /// <summary>
    /// What this host does: any of <c>api</c> (HTTP), <c>worker</c> (orchestrations and step activities of the
    /// task hub), <c>timers</c> (housekeeping); default all.
    /// </summary>
    public string Roles { get; set; } = "api,worker,timers";

    /// <summary>Accepted API keys (<c>x-functions-key</c> header or <c>?code=</c>). <c>ORCHEST_API_KEY</c> adds one.</summary>
    public IList<string> ApiKeys { get; } = [];

    /// <summary>Largest accepted request body; bigger bodies get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    public bool HasRole(string role) =>
        Roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Contains(role, StringComparer.OrdinalIgnoreCase);
}
