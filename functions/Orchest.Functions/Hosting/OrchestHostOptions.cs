namespace Orchest.Functions.Hosting;

/// <summary>The function host's own settings (section <c>Orchest</c>).</summary>
public sealed class OrchestHostOptions
{
    public const string Section = "Orchest";

    /// <summary>Which triggers this host runs: any of <c>api</c>, <c>worker</c>, <c>timers</c> (default all).</summary>
    public string Roles { get; set; } = "api,worker,timers";

    /// <summary>Accepted API keys (<c>x-functions-key</c> header or <c>?code=</c>). <c>ORCHEST_API_KEY</c> adds one.</summary>
    public IList<string> ApiKeys { get; } = [];

    /// <summary>Largest accepted request body; bigger bodies get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>How often the reconciler looks at unfinished runs.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A dispatched step not claimed for this long gets its queue message again.</summary>
    public TimeSpan ReconcileStaleAfter { get; set; } = TimeSpan.FromSeconds(30);

    public bool HasRole(string role) =>
        Roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Contains(role, StringComparer.OrdinalIgnoreCase);
}
