using System.CommandLine;
using System.Globalization;

namespace Orchest.Chaos;

/// <summary>The chaos check's command line; infra/chaos.sh passes its options through.</summary>
public static class ChaosCommandLine
{
    /// <summary>Exit code for options that parse but make no sense (System.CommandLine answers 1 for those that do not parse).</summary>
    public const int BadOptions = 2;

    private static readonly Option<int?> Trials = new("--trials", "-n") { Description = "Trials to run (default 200; 3 with --small)." };
    private static readonly Option<int?> Hosts = new("--hosts") { Description = "orchest serve hosts per trial: 2 or 3 (default 3; 2 with --small)." };
    private static readonly Option<int?> Seed = new("--seed") { Description = "Seed of the first trial; trial i uses seed+i-1, so --seed S --trials 1 runs trial S again (default: from the clock, printed)." };
    private static readonly Option<bool> Small = new("--small") { Description = "Small trials (4 runs, 2 hosts): the test command's check." };
    private static readonly Option<string?> Output = new("--output", "-o") { Description = "Folder for results.json and evidence (default artifacts/chaos/<time>)." };
    private static readonly Option<int?> RunTimeout = new("--run-timeout") { Description = "Seconds a trial waits, after its last action, for every run to end (default 120; 90 with --small)." };
    private static readonly Option<bool> PlanOnly = new("--plan-only") { Description = "Print the trials' plans as JSON and run nothing." };
    private static readonly Option<bool> EvidenceAlways = new("--evidence-always") { Description = "Write every trial's evidence (plan, runs with events, host logs), not only that of trials with violations." };
    private static readonly Option<string[]> HostSettings = new("--host-setting") { Description = "A Section:Key=value setting for every host, over the test defaults (repeatable), e.g. Orchest:TaskHub:ControlQueueVisibilityTimeout=00:00:15." };
    private static readonly Option<string?> Azurite = new("--azurite") { Description = "Use this Azurite (connection string) instead of starting one (default $ORCHEST_TEST_AZURITE)." };

    /// <summary>
    /// The command: System.CommandLine reports what does not parse (and answers --help); <paramref name="run"/>
    /// gets the options and a token cancelled by Ctrl-C or SIGTERM.
    /// </summary>
    public static RootCommand Create(Func<ChaosOptions, CancellationToken, Task<int>> run)
    {
        var root = new RootCommand("Orchest.Functions chaos check: kill -9 a served host during a mixed workload, then check every run's invariants.")
        {
            Trials, Hosts, Seed, Small, Output, RunTimeout, PlanOnly, EvidenceAlways, HostSettings, Azurite,
        };
        root.SetAction(async (parse, cancellationToken) => Options(parse) is { } options ? await run(options, cancellationToken) : BadOptions);
        return root;
    }

    private static ChaosOptions? Options(ParseResult parse)
    {
        var small = parse.GetValue(Small);
        var options = new ChaosOptions
        {
            Trials = parse.GetValue(Trials) ?? (small ? 3 : 200),
            Hosts = parse.GetValue(Hosts) ?? (small ? 2 : 3),
            Seed = parse.GetValue(Seed) ?? (int)(DateTimeOffset.UtcNow.ToUnixTimeSeconds() % 1_000_000),
            Small = small,
            OutputDirectory = Path.GetFullPath(parse.GetValue(Output)
                ?? Path.Combine("artifacts", "chaos", DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture))),
            RunTimeout = TimeSpan.FromSeconds(parse.GetValue(RunTimeout) ?? (small ? 90 : 120)),
            PlanOnly = parse.GetValue(PlanOnly),
            EvidenceAlways = parse.GetValue(EvidenceAlways),
            HostSettings = parse.GetValue(HostSettings) ?? [],
            Azurite = parse.GetValue(Azurite) ?? Environment.GetEnvironmentVariable("ORCHEST_TEST_AZURITE"),
        };
        if (options.Trials >= 1 && options.Hosts is 2 or 3 && options.Seed >= 0 && options.RunTimeout > TimeSpan.Zero
            && options.HostSettings.All(h => h.IndexOf('=', StringComparison.Ordinal) > 0))
        {
            return options;
        }

        Console.Error.WriteLine("--trials must be 1 or more, --hosts 2 or 3, --seed 0 or more, --run-timeout above 0, --host-setting Section:Key=value.");
        return null;
    }
}
