using System.CommandLine;
using Orchest.Benchmarks.Scenarios;

namespace Orchest.Benchmarks;

/// <summary>The benchmark's command line; infra/bench.sh passes its options through.</summary>
public static class BenchmarkCommandLine
{
    private static readonly Option<int?> Repetitions = new("--repetitions", "-n") { Description = "Repetitions per scenario and contender (default 5; 1 with --smoke)." };
    private static readonly Option<string?> Sizes = new("--sizes") { Description = "Sizes: chain=40,fanout=1000,diamond=10x20,data=256 (MB),container=10; any subset." };
    private static readonly Option<bool> Smoke = new("--smoke") { Description = "Tiny sizes, one repetition: checks that the benchmark still runs." };
    private static readonly Option<string?> ScenarioFilter = new("--scenarios") { Description = "Comma-separated scenario names (default: all)." };
    private static readonly Option<string?> ContenderFilter = new("--contenders") { Description = "Comma-separated contender names (default: all)." };
    private static readonly Option<string?> Output = new("--output", "-o") { Description = "JSON results file." };
    private static readonly Option<int> Parallelism = new("--parallelism", "-p") { Description = "Parallelism limit for every contender.", DefaultValueFactory = _ => 8 };
    private static readonly Option<string?> Orchest = new("--orchest") { Description = "The built orchest binary (default: next to this build in the repository)." };
    private static readonly Option<string?> Azurite = new("--azurite") { Description = "Azure Storage connection string (Azurite) for the served contenders (infra/bench.sh starts one; default $ORCHEST_BENCH_AZURITE)." };
    private static readonly Option<string?> OrchestV1 = new("--orchest-v1") { Description = "The old served engine's orchest binary for the orchest-served-v1 contenders (infra/bench.sh builds it; without it those rows read n/a)." };
    private static readonly Option<string?> OrchestV1Unavailable = new("--orchest-v1-unavailable") { Description = "Why there is no old engine binary (infra/bench.sh passes its build failure; shown in those rows)." };
    private static readonly Option<double?> TriggerIdle = new("--trigger-idle") { Description = "Seconds the served host sits idle before an idle trigger (default 5; 1 with --smoke)." };
    private static readonly Option<double?> Settle = new("--settle") { Description = "Seconds to wait after removing a scenario's run folders, before the next scenario (default 35; 0 with --smoke): see BenchmarkOptions.Settle." };
    private static readonly Option<int> SlowThreshold = new("--slow-threshold") { Description = "Seconds; a contender whose first run is slower runs at most 3 repetitions.", DefaultValueFactory = _ => 60 };

    /// <summary>The options, or null with the problems written to <paramref name="error"/>.</summary>
    public static BenchmarkOptions? Parse(string[] args, TextWriter error)
    {
        var root = new RootCommand("Orchest.Functions benchmark: orchest against make, Snakemake and raw bounds on the same DAGs.")
        {
            Repetitions, Sizes, Smoke, ScenarioFilter, ContenderFilter, Output, Parallelism, Orchest, SlowThreshold, Azurite, TriggerIdle,
            OrchestV1, OrchestV1Unavailable, Settle,
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 || parse.Action is not null)
        {
            foreach (var problem in parse.Errors)
            {
                error.WriteLine(problem.Message);
            }

            if (parse.Errors.Count == 0)
            {
                parse.Invoke();
            }

            return null;
        }

        var smoke = parse.GetValue(Smoke);
        ScenarioSizes sizes;
        try
        {
            sizes = ScenarioSizes.Parse(parse.GetValue(Sizes), smoke ? ScenarioSizes.Smoke : ScenarioSizes.Default);
        }
        catch (FormatException ex)
        {
            error.WriteLine(ex.Message);
            return null;
        }

        var repetitions = parse.GetValue(Repetitions) ?? (smoke ? 1 : 5);
        if (repetitions < 1 || parse.GetValue(Parallelism) < 1)
        {
            error.WriteLine("--repetitions and --parallelism must be 1 or more.");
            return null;
        }

        var settle = parse.GetValue(Settle) ?? (smoke ? 0 : 35);
        if (settle < 0)
        {
            error.WriteLine("--settle must be 0 or more.");
            return null;
        }

        var idle = parse.GetValue(TriggerIdle) ?? (smoke ? 1 : 5);
        if (idle < 0)
        {
            error.WriteLine("--trigger-idle must be 0 or more.");
            return null;
        }

        var orchest = parse.GetValue(Orchest) ?? DefaultOrchestPath();
        return new BenchmarkOptions
        {
            OrchestPath = Path.GetFullPath(orchest),
            Repetitions = repetitions,
            Parallelism = parse.GetValue(Parallelism),
            Sizes = sizes,
            Smoke = smoke,
            Scenarios = List(parse.GetValue(ScenarioFilter)),
            Contenders = List(parse.GetValue(ContenderFilter)),
            OutputPath = parse.GetValue(Output),
            SlowThreshold = TimeSpan.FromSeconds(parse.GetValue(SlowThreshold)),
            Timeout = smoke ? TimeSpan.FromSeconds(60) : TimeSpan.FromMinutes(20),
            AzuriteConnectionString = parse.GetValue(Azurite) ?? Environment.GetEnvironmentVariable("ORCHEST_BENCH_AZURITE"),
            TriggerIdle = TimeSpan.FromSeconds(idle),
            Settle = TimeSpan.FromSeconds(settle),
            OrchestV1Path = parse.GetValue(OrchestV1) is { } v1 ? Path.GetFullPath(v1) : null,
            OrchestV1Unavailable = parse.GetValue(OrchestV1Unavailable)
                ?? (parse.GetValue(OrchestV1) is null ? NoOrchestV1(smoke) : null),
        };
    }

    private static string NoOrchestV1(bool smoke) => smoke
        ? "not in --smoke (building the old engine takes minutes)"
        : "no --orchest-v1: infra/bench.sh builds the old engine when orchest-served-v1 is selected";

    private static string[] List(string? text) =>
        (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>tests/Orchest.Benchmarks/bin/&lt;Configuration&gt;/net10.0/ → functions/Orchest.Cli/bin/&lt;Configuration&gt;/net10.0/orchest.</summary>
    private static string DefaultOrchestPath()
    {
        var framework = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = framework.Parent?.Name ?? "Release";
        var repository = framework;
        while (repository is not null && !File.Exists(Path.Combine(repository.FullName, "Orchest.Functions.sln")))
        {
            repository = repository.Parent;
        }

        return Path.Combine(repository?.FullName ?? ".", "functions", "Orchest.Cli", "bin", configuration, framework.Name, "orchest");
    }
}
