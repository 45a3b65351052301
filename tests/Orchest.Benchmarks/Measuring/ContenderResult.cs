namespace Orchest.Benchmarks.Measuring;

/// <summary>One contender on one scenario: its samples, or why it has none.</summary>
public sealed class ContenderResult
{
    public required string Contender { get; init; }
    public string? Unavailable { get; init; }
    public string? Error { get; set; }
    public List<Sample> Samples { get; } = [];

    /// <summary>Set when a slow contender ran fewer repetitions than asked (the reason).</summary>
    public string? Capped { get; set; }

    public Statistics? Wall => Statistics.Of(Samples.Select(s => s.Wall));
    public Statistics? EngineWall => Statistics.Of(Samples.Where(s => s.EngineWall is not null).Select(s => s.EngineWall!.Value));
    public Statistics? StepRecorded => Statistics.Of(Samples.Where(s => s.StepRecorded is not null).Select(s => s.StepRecorded!.Value));
    public Statistics? StepTime => Statistics.Of(Samples.Where(s => s.StepTime is not null).Select(s => s.StepTime!.Value));

    /// <summary>Peak resident memory in bytes, median over repetitions (null when not measured).</summary>
    public long? PeakMemory => Samples.Select(s => s.PeakMemory).OfType<long>().Order().ToList() is { Count: > 0 } peaks ? peaks[peaks.Count / 2] : null;

    /// <summary>Each figure of the samples' run record timelines, median over repetitions (served DAG runs only).</summary>
    public StepTimeline? Timeline => StepTimeline.Median(Samples.Select(s => s.Timeline).OfType<StepTimeline>().ToList());

    /// <summary>Each part of the samples' CPU use, median over repetitions (served DAG runs and raw-durabletask only).</summary>
    public CpuUse? Cpu => CpuUse.Median(Samples.Select(s => s.Cpu).OfType<CpuUse>().ToList());

    /// <summary>Median over repetitions of (wall - Σ step run time): the time between steps (chains only).</summary>
    public Statistics? Gap => Statistics.Of(Samples.Where(s => s.StepTime is not null).Select(s => s.Wall - s.StepTime!.Value));
}
