using System.Net;
using System.Text.Json.Nodes;

namespace Orchest.Chaos.Trials;

/// <summary>
/// How one API call went: the host it went to, when (seconds into the workload), and its status and body,
/// or, when the host died under it (or never answered), no status and the error.
/// </summary>
public sealed record ApiAnswer(string Host, double AtSeconds, HttpStatusCode? Status, JsonNode? Body, string? Error)
{
    /// <summary>The status, or "no answer" (the call may or may not have taken effect).</summary>
    public string Outcome => Status is { } status ? ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture) : "no answer";
}
