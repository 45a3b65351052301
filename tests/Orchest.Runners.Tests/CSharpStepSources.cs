namespace Orchest.Runners.Tests;

/// <summary>C# step files of the tests. Every distinct text is one real build (seconds): reuse them.</summary>
internal static class CSharpStepSources
{
    /// <summary>Prints where it runs, a parameter and the dotnet variables; throws when asked to (line 5).</summary>
    public const string Hello = """
        Console.WriteLine($"cwd={Environment.CurrentDirectory}");
        Console.WriteLine($"k={Step.GetStepParam("k", 0)}");
        Console.WriteLine($"telemetry={Environment.GetEnvironmentVariable("DOTNET_CLI_TELEMETRY_OPTOUT")} nologo={Environment.GetEnvironmentVariable("DOTNET_NOLOGO")}");
        if (Step.GetStepParam("fail", false))
            throw new InvalidOperationException("asked to fail");

        """;

    /// <summary>Does not compile: line 2, column 14.</summary>
    public const string CompileError = """
        Console.WriteLine("never printed");
        int answer = "forty-two";
        Console.WriteLine(answer);

        """;

    /// <summary>Reads the Python step's JSON (named and unnamed) and parameters; outputs JSON for Python.</summary>
    public const string Interop = """
        var inputs = await Step.GetInputsAsync();
        var values = inputs["py_values"].Deserialize<PyValues>()!;
        var unnamed = inputs.Unnamed[0].Deserialize<int>();
        var factor = Step.GetStepParam("factor", 1);
        var greeting = Step.GetPipelineParam<string>("greeting");
        Console.WriteLine($"C# read {values.Label} {string.Join(",", values.Numbers)} mean={values.MeanValue} unnamed={unnamed} factor={factor} greeting={greeting}");
        await Step.OutputAsync(new CsValues(values.Numbers.Sum() * factor, values.Label.ToUpperInvariant(), greeting, [unnamed, factor]), "cs_values");

        record PyValues(List<int> Numbers, string Label, double MeanValue);
        record CsValues(int Total, string Label, string? Greeting, int[] UnnamedAndFactor);

        """;

    /// <summary>Outputs a table of <c>rows</c> rows (id, x = id / 4, label = "r" + id % 997) in batches of 65,536.</summary>
    public const string ArrowProducer = """
        using System.Diagnostics;
        using Apache.Arrow;

        var rows = Step.GetStepParam("rows", 1_000_000);
        var clock = Stopwatch.StartNew();
        await Step.OutputAsync(Batches(), "table");
        Console.WriteLine($"wrote {rows} rows in {clock.ElapsedMilliseconds} ms");

        IEnumerable<RecordBatch> Batches()
        {
            const int BatchSize = 65_536;
            for (var start = 0; start < rows; start += BatchSize)
            {
                var length = Math.Min(BatchSize, rows - start);
                var id = new Int64Array.Builder().Reserve(length);
                var x = new DoubleArray.Builder().Reserve(length);
                var label = new StringArray.Builder();
                for (long i = start; i < start + length; i++)
                {
                    id.Append(i);
                    x.Append(i / 4.0);
                    label.Append("r" + (i % 997));
                }

                using var batch = new RecordBatch.Builder()
                    .Append("id", false, id.Build()).Append("x", false, x.Build()).Append("label", false, label.Build())
                    .Build();
                yield return batch;
            }
        }

        """;

    /// <summary>
    /// Checks every value of the producer's table through the SDK, then reads the raw payload again
    /// with a fresh Arrow stream reader; outputs what it found as JSON ("check").
    /// </summary>
    public const string ArrowConsumer = """
        using System.Buffers.Binary;
        using System.Diagnostics;
        using System.Text.Json;
        using Apache.Arrow;
        using Apache.Arrow.Ipc;

        var inputs = await Step.GetInputsAsync();
        var clock = Stopwatch.StartNew();
        long rows = 0, bad = 0, batches = 0;
        await foreach (var batch in inputs["table"].ReadArrowAsync())
        {
            using (batch)
            {
                var id = (Int64Array)batch.Column("id");
                var x = (DoubleArray)batch.Column("x");
                var label = (StringArray)batch.Column("label");
                for (var i = 0; i < batch.Length; i++)
                {
                    var expected = rows + i;
                    if (id.GetValue(i) != expected || x.GetValue(i) != expected / 4.0 || label.GetString(i) != "r" + (expected % 997))
                        bad++;
                }

                rows += batch.Length;
                batches++;
            }
        }

        var readMs = clock.ElapsedMilliseconds;
        using var context = JsonDocument.Parse(File.ReadAllText(Environment.GetEnvironmentVariable("ORCHEST_STEP_CONTEXT")!));
        var payload = Path.Combine(context.RootElement.GetProperty("inputs")[0].GetProperty("location").GetProperty("path").GetString()!, "named-table.data");
        var bytes = new FileInfo(payload).Length;
        await using var raw = File.OpenRead(payload);
        var head = new byte[4];
        raw.ReadExactly(head);
        raw.Position = 0;
        long rawRows = 0, rawIdSum = 0;
        using (var reader = new ArrowStreamReader(raw))
        {
            while (await reader.ReadNextRecordBatchAsync() is { } batch)
            {
                using (batch)
                {
                    rawRows += batch.Length;
                    foreach (var v in (Int64Array)batch.Column("id"))
                        rawIdSum += v!.Value;
                }
            }
        }

        Console.WriteLine($"read {rows} rows ({bytes} bytes) in {readMs} ms");
        await Step.OutputAsync(new Check(rows, batches, bad, BinaryPrimitives.ReadUInt32LittleEndian(head) == 0xFFFFFFFF, rawRows, rawIdSum, bytes, readMs), "check");

        record Check(long Rows, long Batches, long BadValues, bool StartsWithContinuationMarker, long RawRows, long RawIdSum, long PayloadBytes, long ReadMs);

        """;
}
