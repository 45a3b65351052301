namespace Orchest.Storage.Azure.Blobs;

/// <summary>One output of a committed output set, as its <c>.meta.json</c> describes it (PROTOCOL §3).</summary>
/// <param name="Name">The output's name; null for the unnamed output.</param>
/// <param name="Stem">File stem in the set (<c>unnamed</c> or <c>named-&lt;percent-encoded name&gt;</c>).</param>
/// <param name="Serialization"><c>JSON</c>, <c>ARROW_TABLE</c>, <c>ARROW_BATCH</c> or <c>PICKLE</c>.</param>
/// <param name="Size">Payload bytes.</param>
/// <param name="Timestamp">When the step wrote it.</param>
/// <param name="Producer"><c>python</c> or <c>dotnet</c>.</param>
public sealed record StepOutputInfo(string? Name, string Stem, string Serialization, long Size, DateTimeOffset? Timestamp, string? Producer)
{
    /// <summary>The media type to serve the payload as.</summary>
    public string ContentType => Serialization switch
    {
        "JSON" => "application/json",
        "ARROW_TABLE" or "ARROW_BATCH" => "application/vnd.apache.arrow.stream",
        _ => "application/octet-stream",
    };
}
