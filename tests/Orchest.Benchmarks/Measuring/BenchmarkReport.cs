namespace Orchest.Benchmarks.Measuring;

/// <summary>Everything one benchmark invocation measured, with the settings that produced it.</summary>
public sealed class BenchmarkReport
{
    public required DateTimeOffset Started { get; init; }
    public DateTimeOffset Finished { get; set; }
    public required string Machine { get; init; }
    public required int Repetitions { get; init; }
    public required int Parallelism { get; init; }
    public required string Sizes { get; init; }
    public required bool Smoke { get; init; }
    public required string OrchestBinary { get; init; }
    public required IReadOnlyDictionary<string, string> ContenderDescriptions { get; init; }
    public List<ScenarioResult> Scenarios { get; } = [];

    /// <summary>One-off measurements and settings contenders report (e.g. the environment image's cache-miss build).</summary>
    public List<string> Notes { get; } = [];

    /// <summary>/proc/loadavg at the start and the end: the machine is shared, so say how busy it was.</summary>
    public string? LoadAtStart { get; init; }

    public string? LoadAtEnd { get; set; }

    public static string? ReadLoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : null;

    public bool AnyFailed => Scenarios.Any(s => s.Contenders.Any(c => c.Error is not null));
}
