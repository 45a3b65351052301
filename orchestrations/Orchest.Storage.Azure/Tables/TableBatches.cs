using Azure.Data.Tables;

namespace Orchest.Storage.Azure.Tables;

/// <summary>Splits row operations into entity-group transactions within the service's limits.</summary>
internal static class TableBatches
{
    public const int MaxOperations = 100;

    /// <summary>The service allows 4 MiB per batch request; keep a margin for envelopes and escaping.</summary>
    public const int MaxBytes = 3_800_000;

    public static List<List<T>> Split<T>(IEnumerable<T> items, Func<T, TableEntity> entity, int maxOperations, int maxBytes = MaxBytes)
    {
        var batches = new List<List<T>>();
        var current = new List<T>();
        var bytes = 0;
        foreach (var item in items)
        {
            var size = RowColumns.EstimateBytes(entity(item));
            if (current.Count > 0 && (current.Count >= maxOperations || bytes + size > maxBytes))
            {
                batches.Add(current);
                current = [];
                bytes = 0;
            }

            current.Add(item);
            bytes += size;
        }

        if (current.Count > 0)
        {
            batches.Add(current);
        }

        return batches;
    }

    public static int EstimateBytes(IEnumerable<TableEntity> entities) => entities.Sum(RowColumns.EstimateBytes);
}
