using Orchest.Benchmarks.Scenarios;
using Orchest.Benchmarks.Workloads;

namespace Orchest.Benchmarks;

/// <summary>How one benchmark invocation runs (from the command line; see <see cref="BenchmarkCommandLine"/>).</summary>
public sealed record BenchmarkOptions
{
    public required string OrchestPath { get; init; }
    public int Repetitions { get; init; } = 5;
    public int Parallelism { get; init; } = 8;
    public ScenarioSizes Sizes { get; init; } = ScenarioSizes.Default;
    public bool Smoke { get; init; }
    public IReadOnlyList<string> Scenarios { get; init; } = [];
    public IReadOnlyList<string> Contenders { get; init; } = [];
    public string? OutputPath { get; init; }
    public Interpreters Interpreters { get; init; } = Interpreters.Default;

    /// <summary>A contender whose first repetition is slower than this runs only <see cref="SlowRepetitions"/> times.</summary>
    public TimeSpan SlowThreshold { get; init; } = TimeSpan.FromSeconds(60);

    public int SlowRepetitions { get; init; } = 3;

    /// <summary>Longest one run may take before it is killed and reported as failed.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(20);
}
