using Apache.Arrow;
using Apache.Arrow.Ipc;

namespace Orchest.Sdk;

/// <summary>Writes record batches as one Arrow IPC stream, batch by batch, never gathering them.</summary>
internal static class ArrowPayload
{
    /// <summary>
    /// Writes <paramref name="batches"/> to <paramref name="stream"/>. The schema is
    /// <paramref name="schema"/> when given (a table's), otherwise the first batch's; every batch must
    /// match it. The batches are not disposed: they belong to the caller.
    /// </summary>
    public static async Task WriteAsync(Stream stream, Schema? schema, IAsyncEnumerable<RecordBatch> batches, CancellationToken cancellationToken)
    {
        ArrowStreamWriter? writer = null;
        try
        {
            var index = 0;
            await foreach (var batch in batches.WithCancellation(cancellationToken))
            {
                ArgumentNullException.ThrowIfNull(batch, nameof(batches));
                schema ??= batch.Schema;
                if (!HaveSameColumns(schema, batch.Schema))
                {
                    throw new ArgumentException(
                        $"Record batch {index} has the columns ({Describe(batch.Schema)}), which differ from the output's ({Describe(schema)}); "
                        + "every batch of one output must have the same columns.",
                        nameof(batches));
                }

                if (writer is null)
                {
                    writer = new ArrowStreamWriter(stream, schema, leaveOpen: true);
                }

                await writer.WriteRecordBatchAsync(batch, cancellationToken);
                index++;
            }

            if (writer is null)
            {
                if (schema is null)
                {
                    throw new ArgumentException(
                        "An Arrow output needs at least one RecordBatch: the stream's schema comes from the first batch. "
                        + "To output a table without rows, output one empty batch with the table's schema.",
                        nameof(batches));
                }

                writer = new ArrowStreamWriter(stream, schema, leaveOpen: true);
                await writer.WriteStartAsync(cancellationToken);
            }

            await writer.WriteEndAsync(cancellationToken);
        }
        finally
        {
            writer?.Dispose();
        }
    }

    public static async IAsyncEnumerable<RecordBatch> ToAsync(IEnumerable<RecordBatch> batches)
    {
        foreach (var batch in batches)
        {
            yield return batch;
        }

        await Task.CompletedTask;
    }

    /// <summary>
    /// Cuts a table into record batches at the union of its columns' chunk boundaries; the batches
    /// share the table's buffers (slices, not copies) and must not be disposed.
    /// </summary>
    public static IEnumerable<RecordBatch> Batches(Table table)
    {
        var columnCount = table.ColumnCount;
        var chunkIndex = new int[columnCount];
        var offsetInChunk = new int[columnCount];
        var remaining = table.RowCount;
        while (remaining > 0)
        {
            var length = remaining;
            var chunks = new IArrowArray[columnCount];
            for (var c = 0; c < columnCount; c++)
            {
                var data = table.Column(c).Data;
                while (data.ArrowArray(chunkIndex[c]).Length - offsetInChunk[c] == 0)
                {
                    chunkIndex[c]++;
                    offsetInChunk[c] = 0;
                }

                chunks[c] = data.ArrowArray(chunkIndex[c]);
                length = Math.Min(length, chunks[c].Length - offsetInChunk[c]);
            }

            var batchLength = (int)length;
            var arrays = new IArrowArray[columnCount];
            for (var c = 0; c < columnCount; c++)
            {
                arrays[c] = offsetInChunk[c] == 0 && batchLength == chunks[c].Length
                    ? chunks[c]
                    : ArrowArrayFactory.Slice(chunks[c], offsetInChunk[c], batchLength);
                offsetInChunk[c] += batchLength;
            }

            yield return new RecordBatch(table.Schema, arrays, batchLength);
            remaining -= length;
        }
    }

    private static bool HaveSameColumns(Schema expected, Schema actual) =>
        ReferenceEquals(expected, actual)
        || (expected.FieldsList.Count == actual.FieldsList.Count
            && expected.FieldsList.Zip(actual.FieldsList).All(f =>
                f.First.Name == f.Second.Name && f.First.DataType.TypeId == f.Second.DataType.TypeId));

    private static string Describe(Schema schema) =>
        string.Join(", ", schema.FieldsList.Select(f => $"{f.Name}: {f.DataType.Name}"));
}
