namespace Orchest.Chaos;

/// <summary>What infra/chaos.sh asked for (see <see cref="ChaosCommandLine"/>).</summary>
public sealed record ChaosOptions
{
    public int Trials { get; init; } = 200;

    /// <summary>Hosts per trial, 2 or 3.</summary>
    public int Hosts { get; init; } = 3;

    /// <summary>Trial i (from 1) plans from seed <c>Seed + i - 1</c>: <c>--seed S --trials 1</c> runs trial S alone again.</summary>
    public int Seed { get; init; }

    /// <summary>Small trials (the test command's check).</summary>
    public bool Small { get; init; }

    /// <summary>Results (JSON after every trial) and the evidence of trials with violations.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>How long after its last action a trial waits for every run to end (then the rest are violations).</summary>
    public TimeSpan RunTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Print the trials' plans (JSON) and run nothing: what a seed does, to read before running it.</summary>
    public bool PlanOnly { get; init; }

    /// <summary>Write every trial's evidence, not only that of trials with violations.</summary>
    public bool EvidenceAlways { get; init; }

    /// <summary>Extra <c>Section:Key=value</c> settings for every host (after the test defaults, so they win), e.g. production-like timeouts.</summary>
    public IReadOnlyList<string> HostSettings { get; init; } = [];

    /// <summary>An Azurite (connection string) to use instead of starting one.</summary>
    public string? Azurite { get; init; }
}
