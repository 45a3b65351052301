using Orchest.Benchmarks.Scenarios;
using Orchest.Benchmarks.Workloads;

namespace Orchest.Benchmarks;

/// <summary>How one benchmark invocation runs (from the command line; see <see cref="BenchmarkCommandLine"/>).</summary>
public sealed record BenchmarkOptions
{
    public required string OrchestPath { get; init; }

    /// <summary>
    /// The wait after a scenario's run folders are removed. Run folders are kept until their scenario
    /// ends (or pass <see cref="KeptBytes"/>) and removed only then: on ext4 without a journal (this
    /// machine's disk) every new file looks past the inodes freed in the last ~30 s, so files removed
    /// between two runs slow the next run's file creation, and most for the contender creating the most
    /// files (measured: an embedded fanout1000 2.6 s in a quiet file system, 3.4-4.3 s right after
    /// the previous run's folder was removed).
    /// </summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(35);

    /// <summary>Kept run folders beyond this size are removed at once (data-passing scenarios write hundreds of MB a run).</summary>
    public long KeptBytes { get; init; } = 4L << 30;
    public int Repetitions { get; init; } = 5;
    public int Parallelism { get; init; } = 8;
    public ScenarioSizes Sizes { get; init; } = ScenarioSizes.Default;
    public bool Smoke { get; init; }
    public IReadOnlyList<string> Scenarios { get; init; } = [];
    public IReadOnlyList<string> Contenders { get; init; } = [];
    public string? OutputPath { get; init; }
    public Interpreters Interpreters { get; init; } = Interpreters.Default;

    /// <summary>Azurite for the served contenders (infra/bench.sh starts one on free ports); null: served rows read n/a.</summary>
    public string? AzuriteConnectionString { get; init; }

    /// <summary>
    /// The old served engine's <c>orchest</c> (infra/bench.sh builds it from a pinned commit when the
    /// orchest-served-v1 contenders are selected, never in --smoke); null: those rows read n/a.
    /// </summary>
    public string? OrchestV1Path { get; init; }

    /// <summary>Why there is no old engine binary, when infra/bench.sh tried and failed (shown in its rows).</summary>
    public string? OrchestV1Unavailable { get; init; }

    /// <summary>How long the served host sits idle before an idle trigger (2.5 × the old engine's longest idle poll wait, 2 s; the new engine's is 250 ms).</summary>
    public TimeSpan TriggerIdle { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The Docker API the container contenders use (<c>DOCKER_HOST</c>); null: container rows read n/a.</summary>
    public string? DockerHost { get; init; } = Environment.GetEnvironmentVariable("DOCKER_HOST");

    /// <summary>A contender whose first repetition is slower than this runs only <see cref="SlowRepetitions"/> times.</summary>
    public TimeSpan SlowThreshold { get; init; } = TimeSpan.FromSeconds(60);

    public int SlowRepetitions { get; init; } = 3;

    /// <summary>Longest one run may take before it is killed and reported as failed.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(20);
}
