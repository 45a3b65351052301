using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using Xunit.Abstractions;

namespace Orchest.Sdk.Tests;

public sealed class ArrowTests(ITestOutputHelper output) : IDisposable
{
    private const int MillionRows = 1_000_000;
    private const int BatchRows = 65_536;

    private readonly TestPipeline _pipeline = new();

    public void Dispose() => _pipeline.Dispose();

    [Fact]
    public async Task OutputAsync_MillionRowTableInBatches_PassesToNextStepIntact()
    {
        var a = _pipeline.Step("A");
        var b = _pipeline.Step("B");
        // Built before timing, so the figures are the SDK's write and read, not batch building.
        var written = Enumerable.Range(0, (MillionRows + BatchRows - 1) / BatchRows)
            .Select(i => Batch(i * BatchRows, Math.Min(BatchRows, MillionRows - (i * BatchRows))))
            .ToList();

        var write = Stopwatch.StartNew();
        await _pipeline.Context(a).OutputAsync(written, "table");
        write.Stop();
        written.ForEach(batch => batch.Dispose());

        var inputs = await _pipeline.Context(b, [a]).GetInputsAsync();
        var table = inputs["table"];
        Assert.Equal(OutputSerialization.ArrowTable, table.Serialization);

        var read = Stopwatch.StartNew();
        var batches = await ReadAll(table);
        read.Stop();

        long rows = 0;
        foreach (var batch in batches)
        {
            AssertRows(batch, rows);
            rows += batch.Length;
            batch.Dispose();
        }

        Assert.Equal(MillionRows, rows);
        Assert.Equal(written.Count, batches.Count);

        var bytes = new FileInfo(Path.Combine(a.OutputDir, "named-table.data")).Length;
        Assert.Equal(bytes, table.Size);
        var mb = bytes / 1e6;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Arrow 1M rows (int64, double, string) in {written.Count} batches: {mb:F1} MB; write {write.Elapsed.TotalMilliseconds:F0} ms ({mb / write.Elapsed.TotalSeconds:F0} MB/s), "
            + $"read {read.Elapsed.TotalMilliseconds:F0} ms ({mb / read.Elapsed.TotalSeconds:F0} MB/s), "
            + $"pass-through (write + read) {mb / (write.Elapsed + read.Elapsed).TotalSeconds:F0} MB/s"));
    }

    [Fact]
    public async Task OutputAsync_Batches_IsAStandardArrowIpcStream()
    {
        var a = _pipeline.Step("A");
        await _pipeline.Context(a).OutputAsync(Batches(200_000, 50_000), null);

        // A fresh reader on the raw file, no SDK involved.
        await using var file = File.OpenRead(Path.Combine(a.OutputDir, "unnamed.data"));
        using var reader = new ArrowStreamReader(file);
        var schema = await reader.GetSchema(CancellationToken.None);
        Assert.Equal(["id", "value", "label"], schema.FieldsList.Select(f => f.Name));
        Assert.Equal([ArrowTypeId.Int64, ArrowTypeId.Double, ArrowTypeId.String], schema.FieldsList.Select(f => f.DataType.TypeId));
        long rows = 0;
        while (await reader.ReadNextRecordBatchAsync() is { } batch)
        {
            using (batch)
            {
                AssertRows(batch, rows);
                rows += batch.Length;
            }
        }

        Assert.Equal(200_000, rows);
        // The stream ends with the IPC end-of-stream marker (continuation token, zero length).
        file.Seek(-8, SeekOrigin.End);
        var tail = new byte[8];
        await file.ReadExactlyAsync(tail);
        Assert.Equal(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0 }, tail);
    }

    [Fact]
    public async Task OutputAsync_SingleBatch_IsArrowBatch()
    {
        var a = _pipeline.Step("A");
        using var batch = Batch(0, 10);
        await _pipeline.Context(a).OutputAsync(batch, "batch");

        var inputs = await _pipeline.Context(_pipeline.Step("B"), [a]).GetInputsAsync();
        Assert.Equal(OutputSerialization.ArrowBatch, inputs["batch"].Serialization);
        var read = await ReadAll(inputs["batch"]);
        AssertRows(Assert.Single(read), 0);
        using var meta = JsonDocument.Parse(File.ReadAllText(Path.Combine(a.OutputDir, "named-batch.meta.json")));
        Assert.Equal("ARROW_BATCH", meta.RootElement.GetProperty("serialization").GetString());
    }

    [Fact]
    public async Task OutputAsync_TableWithMisalignedChunks_RoundTrips()
    {
        var ids = new Int64Array.Builder().AppendRange(Enumerable.Range(0, 10).Select(i => (long)i)).Build();
        var firstValues = new DoubleArray.Builder().AppendRange(Enumerable.Range(0, 4).Select(i => i * 0.5)).Build();
        var restValues = new DoubleArray.Builder().AppendRange(Enumerable.Range(4, 6).Select(i => i * 0.5)).Build();
        var schema = new Schema.Builder()
            .Field(f => f.Name("id").DataType(Int64Type.Default))
            .Field(f => f.Name("value").DataType(DoubleType.Default))
            .Build();
        var table = new Table(schema, [
            new Column(schema.GetFieldByName("id"), [ids]),
            new Column(schema.GetFieldByName("value"), [firstValues, restValues]),
        ]);
        var a = _pipeline.Step("A");
        await _pipeline.Context(a).OutputAsync(table, "t");

        var inputs = await _pipeline.Context(_pipeline.Step("B"), [a]).GetInputsAsync();
        var batches = await ReadAll(inputs["t"]);
        Assert.Equal([4, 6], batches.Select(b => b.Length));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long?)i), batches.SelectMany(b => ((Int64Array)b.Column("id")).ToList()));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (double?)(i * 0.5)), batches.SelectMany(b => ((DoubleArray)b.Column("value")).ToList()));
    }

    [Fact]
    public async Task OutputAsync_AsyncBatchesFromAnInput_StreamThrough()
    {
        var a = _pipeline.Step("A");
        var b = _pipeline.Step("B");
        await _pipeline.Context(a).OutputAsync(Batches(100_000, 30_000), null);

        var inputsOfB = await _pipeline.Context(b, [a]).GetInputsAsync();
        await _pipeline.Context(b, [a]).OutputAsync(inputsOfB.Unnamed[0].ReadArrowAsync(), "copy");

        var inputsOfC = await _pipeline.Context(_pipeline.Step("C"), [b]).GetInputsAsync();
        long rows = 0;
        foreach (var batch in await ReadAll(inputsOfC["copy"]))
        {
            AssertRows(batch, rows);
            rows += batch.Length;
        }

        Assert.Equal(100_000, rows);
    }

    [Fact]
    public async Task OutputAsync_BatchesAsObject_AreWrittenAsArrow()
    {
        var a = _pipeline.Step("A");
        using var first = Batch(0, 5);
        using var second = Batch(5, 5);
        object value = new List<RecordBatch> { first, second };
        await _pipeline.Context(a).OutputAsync(value, null);

        var inputs = await _pipeline.Context(_pipeline.Step("B"), [a]).GetInputsAsync();
        Assert.Equal(OutputSerialization.ArrowTable, inputs.Unnamed[0].Serialization);
    }

    [Fact]
    public async Task OutputAsync_CancelledMidStream_LeavesNoTrace()
    {
        var a = _pipeline.Step("A");
        using var cancellation = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => _pipeline.Context(a).OutputAsync(CancelAfterFirst(cancellation), "t", cancellation.Token));

        Assert.Empty(a.Files());
    }

    [Fact]
    public async Task OutputAsync_NoBatches_FailsAndWritesNothing()
    {
        var a = _pipeline.Step("A");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => _pipeline.Context(a).OutputAsync(System.Array.Empty<RecordBatch>(), "t"));

        Assert.StartsWith("An Arrow output needs at least one RecordBatch", error.Message, StringComparison.Ordinal);
        Assert.Empty(a.Files());
    }

    [Fact]
    public async Task OutputAsync_BatchesWithDifferentSchemas_FailsAndWritesNothing()
    {
        var a = _pipeline.Step("A");
        using var good = Batch(0, 5);
        using var other = new RecordBatch.Builder().Append("x", false, c => c.Int32(b => b.Append(1))).Build();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => _pipeline.Context(a).OutputAsync([good, other], "t"));

        Assert.StartsWith("Record batch 1 has the columns (x: int32), which differ from the output's (id: int64, value: double, label: utf8)", error.Message, StringComparison.Ordinal);
        Assert.Empty(a.Files());
    }

    [Fact]
    public async Task ReadMethods_WrongKind_SayWhichMethodToUse()
    {
        var a = _pipeline.Step("A");
        var producer = _pipeline.Context(a);
        await producer.OutputAsync(1, "json");
        await producer.OutputAsync(Batches(1, 1), "arrow");
        var inputs = await _pipeline.Context(_pipeline.Step("B"), [a]).GetInputsAsync();

        var notArrow = Assert.Throws<InvalidOperationException>(() => inputs["json"].ReadArrowAsync());
        var notJson = Assert.Throws<InvalidOperationException>(() => inputs["arrow"].AsJson());

        Assert.Equal($"Output \"json\" of incoming step \"A\" (\"{a.Uuid}\") is JSON, not Arrow data; read it with AsJson() or Deserialize<T>().", notArrow.Message);
        Assert.Equal($"Output \"arrow\" of incoming step \"A\" (\"{a.Uuid}\") is Arrow data (ARROW_TABLE), not JSON; read it with ReadArrowAsync().", notJson.Message);
    }

    [Fact]
    public async Task ReadArrowAsync_CorruptPayload_FailsNamingTheOutput()
    {
        var a = _pipeline.Step("A");
        a.WriteRaw("named-t", [1, 2, 3, 4, 5, 6, 7, 8, 9], """{"name": "t", "serialization": "ARROW_TABLE"}""");
        var inputs = await _pipeline.Context(_pipeline.Step("B"), [a]).GetInputsAsync();

        var error = await Assert.ThrowsAsync<OutputNotReadableException>(() => ReadAll(inputs["t"]));

        Assert.StartsWith($"Output \"t\" of incoming step \"A\" (\"{a.Uuid}\") is not a valid Arrow IPC stream: ", error.Message, StringComparison.Ordinal);
    }

    /// <summary>id = row, value = row * 0.5, label = "row-{row}", built and freed one batch at a time.</summary>
    internal static IEnumerable<RecordBatch> Batches(int rows, int batchRows)
    {
        for (var start = 0; start < rows; start += batchRows)
        {
            using var batch = Batch(start, Math.Min(batchRows, rows - start));
            yield return batch;
        }
    }

    private static async IAsyncEnumerable<RecordBatch> CancelAfterFirst(CancellationTokenSource cancellation)
    {
        using var first = Batch(0, 10);
        yield return first;
        await cancellation.CancelAsync();
        using var second = Batch(10, 10);
        yield return second;
    }

    internal static RecordBatch Batch(int start, int length)
    {
        var ids = new Int64Array.Builder().Reserve(length);
        var values = new DoubleArray.Builder().Reserve(length);
        var labels = new StringArray.Builder();
        for (var row = start; row < start + length; row++)
        {
            ids.Append(row);
            values.Append(row * 0.5);
            labels.Append(string.Create(CultureInfo.InvariantCulture, $"row-{row}"));
        }

        return new RecordBatch.Builder()
            .Append("id", false, ids.Build())
            .Append("value", false, values.Build())
            .Append("label", false, labels.Build())
            .Build();
    }

    private static void AssertRows(RecordBatch batch, long firstRow)
    {
        var ids = (Int64Array)batch.Column("id");
        var values = (DoubleArray)batch.Column("value");
        var labels = (StringArray)batch.Column("label");
        for (var i = 0; i < batch.Length; i++)
        {
            var row = firstRow + i;
            if (ids.GetValue(i) != row || values.GetValue(i) != row * 0.5 || labels.GetString(i) != string.Create(CultureInfo.InvariantCulture, $"row-{row}"))
            {
                Assert.Fail($"Row {row} differs: {ids.GetValue(i)}, {values.GetValue(i)}, {labels.GetString(i)}");
            }
        }
    }

    private static async Task<List<RecordBatch>> ReadAll(InputValue value)
    {
        var batches = new List<RecordBatch>();
        await foreach (var batch in value.ReadArrowAsync())
        {
            batches.Add(batch);
        }

        return batches;
    }
}
