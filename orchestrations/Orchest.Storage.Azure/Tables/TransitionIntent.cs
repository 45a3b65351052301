using System.Text.Json.Serialization;

namespace Orchest.Storage.Azure.Tables;

/// <summary>
/// A transition too large for one entity-group transaction (100 operations, 4 MiB), written to
/// <c>transitions/&lt;run&gt;/&lt;id&gt;.json</c> before its first batch commits. Batch 0 carries the run
/// row (If-Match) with <c>intent = id</c>; every later batch carries the run row again (If-Match the
/// previous batch's ETag) with <c>intent_batch</c> advanced, so each batch applies exactly once and a
/// stale roll-forward can never overwrite newer state. The last batch clears <c>intent</c>.
/// </summary>
internal sealed class TransitionIntent
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary>The run record after the transition (JSON as stored in the run row).</summary>
    [JsonPropertyName("run")]
    public required string Run { get; init; }

    [JsonPropertyName("next_event")]
    public required long NextEvent { get; init; }

    /// <summary>The change sequence of the run row and step rows the intent writes (0 in intents written before it existed).</summary>
    [JsonPropertyName("cs")]
    public long Sequence { get; init; }

    [JsonPropertyName("batches")]
    public required List<List<IntentRow>> Batches { get; init; }

    public static string BlobName(string runId, string id) => $"transitions/{runId}/{id}.json";
}

/// <summary>One step or event row of an intent: its row key, its document and (steps) its order.</summary>
internal sealed record IntentRow(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("doc")] string Document,
    [property: JsonPropertyName("order"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Order);
