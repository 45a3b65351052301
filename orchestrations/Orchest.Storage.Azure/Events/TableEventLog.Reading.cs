using Azure.Data.Tables;
using Orchest.Engine.Events;
using Orchest.Storage.Azure.Tables;

namespace Orchest.Storage.Azure.Events;

/// <summary>Reading a project's events back, oldest recorded first, filtered by type pattern.</summary>
public sealed partial class TableEventLog
{
    /// <summary>Rows read at most per page when a pattern filters most of them out (the page ends early, with a token).</summary>
    private const int MaxScannedRows = 5000;

    public async Task<EventPage> ListAsync(EventQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(query.PageSize, 1);
        var after = ContinuationTokens.Decode(query.ContinuationToken);
        await tables.ReadyAsync(cancellationToken);

        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {query.ProjectId}");
        if (after is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey gt {after}");
        }
        else if (query.Since is { } since)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey ge {EventTables.Ticks(since)}");
        }

        var pattern = query.TypePattern;
        if (pattern is not null && !pattern.Contains('*', StringComparison.Ordinal))
        {
            filter += $" and {TypeColumn} eq " + TableClient.CreateQueryFilter($"{pattern}");
        }

        return await StorageErrors.GuardAsync($"list the events of project {query.ProjectId}", async () =>
        {
            var events = new List<OrchestEvent>();
            string? last = null;
            var scanned = 0;
            var more = false;
            await foreach (var row in tables.Events.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
            {
                var type = row.GetString(TypeColumn) ?? "";
                if (pattern is not null && !EventTypePattern.Matches(pattern, type))
                {
                    last = row.RowKey;
                    if (++scanned >= MaxScannedRows)
                    {
                        more = true;
                        break;
                    }

                    continue;
                }

                if (events.Count == query.PageSize)
                {
                    more = true;
                    break;
                }

                events.Add(OrchestEventJson.Deserialize(RowColumns.ReadDocument(row)));
                last = row.RowKey;
                scanned++;
            }

            return new EventPage(events, more && last is not null ? ContinuationTokens.Encode(last) : null);
        });
    }
}
