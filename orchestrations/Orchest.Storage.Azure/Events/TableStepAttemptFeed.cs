using System.Globalization;
using Azure.Data.Tables;
using Orchest.Engine.Events;
using Orchest.Storage.Azure.Tables;

namespace Orchest.Storage.Azure.Events;

/// <summary>
/// Reads the attempt rows (<c>xec~&lt;step&gt;~&lt;attempt&gt;</c>) of a run's partition, newest by the row's
/// server timestamp: one small query per poll of the event stream, nothing written.
/// </summary>
public sealed class TableStepAttemptFeed(OrchestStorageAccount account) : IStepAttemptFeed
{
    /// <summary>Upper bound of attempt row keys ("xec~" &lt; every attempt key &lt; "xed").</summary>
    private const string AttemptUpperBound = "xed";

    public async Task<IReadOnlyList<StepAttemptBegun>> ReadBegunAsync(string runId, DateTimeOffset? since, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {runId} and RowKey gt {RunRows.AttemptPrefix} and RowKey lt {AttemptUpperBound}");
        if (since is { } from)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Timestamp ge {from}");
        }

        return await StorageErrors.GuardAsync($"read the begun attempts of run {runId}", async () =>
        {
            var begun = new List<StepAttemptBegun>();
            await foreach (var row in account.Runs.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
            {
                var key = row.RowKey[RunRows.AttemptPrefix.Length..];
                var separator = key.LastIndexOf('~');
                if (separator > 0 && int.TryParse(key[(separator + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var attempt))
                {
                    var written = row.Timestamp ?? DateTimeOffset.MinValue;
                    begun.Add(new StepAttemptBegun(key[..separator], attempt, row.GetString(RunRows.Host) ?? "", row.GetDateTimeOffset(RunRows.Started) ?? written, written));
                }
            }

            return (IReadOnlyList<StepAttemptBegun>)begun.OrderBy(b => b.Written).ToList();
        });
    }
}
