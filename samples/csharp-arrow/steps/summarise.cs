// Reads the Arrow table from "Generate readings" and the JSON thresholds from the Python step,
// and outputs a per-sensor summary as JSON for the Python report.
using Apache.Arrow;

var inputs = await Step.GetInputsAsync();
var thresholds = inputs["thresholds"].Deserialize<Thresholds>()!;

var perSensor = new SortedDictionary<string, (long Readings, double Sum, long Above)>(StringComparer.Ordinal);
long rows = 0;
await foreach (var batch in inputs["measurements"].ReadArrowAsync())
{
    using (batch)
    {
        var sensor = (StringArray)batch.Column("sensor");
        var temperature = (DoubleArray)batch.Column("temperature");
        for (var i = 0; i < batch.Length; i++)
        {
            var name = sensor.GetString(i);
            var value = temperature.GetValue(i)!.Value;
            var (readings, sum, above) = perSensor.GetValueOrDefault(name);
            perSensor[name] = (readings + 1, sum + value, above + (value > thresholds.MaxTemperature ? 1 : 0));
        }

        rows += batch.Length;
    }
}

var sensors = perSensor
    .Select(s => new SensorSummary(s.Key, s.Value.Readings, Math.Round(s.Value.Sum / s.Value.Readings, 2), s.Value.Above))
    .ToList();
await Step.OutputAsync(new Summary(rows, thresholds.MaxTemperature, thresholds.Unit, sensors), "summary");
Console.WriteLine($"Summarised {rows} readings; {sensors.Sum(s => s.AboveThreshold)} above {thresholds.MaxTemperature} {thresholds.Unit}.");

record Thresholds(double MaxTemperature, string Unit, List<string> Sensors);
record SensorSummary(string Sensor, long Readings, double MeanTemperature, long AboveThreshold);
record Summary(long Rows, double MaxTemperature, string Unit, List<SensorSummary> Sensors);
