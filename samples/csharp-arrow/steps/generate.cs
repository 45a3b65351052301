// Synthetic sensor readings as an Arrow table, built and written batch by batch.
// Step parameter "rows", pipeline parameter "seed".
using Apache.Arrow;
using Apache.Arrow.Types;

var rows = Step.GetStepParam("rows", 5000);
var seed = Step.GetPipelineParam("seed", 42);
string[] sensors = ["north", "south", "east", "west"];

var schema = new Schema.Builder()
    .Field(f => f.Name("id").DataType(Int64Type.Default).Nullable(false))
    .Field(f => f.Name("sensor").DataType(StringType.Default).Nullable(false))
    .Field(f => f.Name("temperature").DataType(DoubleType.Default).Nullable(false))
    .Build();

await Step.OutputAsync(Batches(), "measurements");
Console.WriteLine($"Generated {rows} readings from {sensors.Length} sensors (seed {seed}).");

IEnumerable<RecordBatch> Batches()
{
    const int BatchSize = 1024;
    var random = new Random(seed);
    for (var start = 0; start < rows; start += BatchSize)
    {
        var length = Math.Min(BatchSize, rows - start);
        var id = new Int64Array.Builder();
        var sensor = new StringArray.Builder();
        var temperature = new DoubleArray.Builder();
        for (var i = 0; i < length; i++)
        {
            var s = random.Next(sensors.Length);
            id.Append(start + i);
            sensor.Append(sensors[s]);
            temperature.Append(Math.Round(18 + (3 * s) + (random.NextDouble() * 12), 2));
        }

        using var batch = new RecordBatch(schema, [id.Build(), sensor.Build(), temperature.Build()], length);
        yield return batch;
    }
}
