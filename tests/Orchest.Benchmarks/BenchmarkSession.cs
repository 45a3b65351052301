using System.Globalization;
using Orchest.Benchmarks.Contenders;
using Orchest.Benchmarks.Measuring;
using Orchest.Benchmarks.Scenarios;
using Orchest.Benchmarks.Workloads;

namespace Orchest.Benchmarks;

/// <summary>
/// Runs every scenario with every contender that supports it, N repetitions each, in a temp folder
/// that is removed at the end (each scenario's run folders when the scenario ends). Repetitions interleave the contenders (rotating who goes first) so a
/// slow drift of the machine does not favour one of them.
/// </summary>
public sealed class BenchmarkSession(BenchmarkOptions options, IReadOnlyList<IContender> contenders, TextWriter progress)
{
    private readonly List<string> _kept = [];
    private long _keptBytes;

    public async Task<BenchmarkReport> RunAsync(IReadOnlyList<IScenario> scenarios, CancellationToken cancellationToken = default)
    {
        var report = new BenchmarkReport
        {
            Started = DateTimeOffset.UtcNow,
            Machine = $"{Environment.MachineName}, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}",
            Repetitions = options.Repetitions,
            Parallelism = options.Parallelism,
            Sizes = options.Sizes.ToString(),
            Smoke = options.Smoke,
            OrchestBinary = options.OrchestPath,
            ContenderDescriptions = contenders.ToDictionary(c => c.Name, c => c.Description),
            LoadAtStart = BenchmarkReport.ReadLoadAverage(),
        };
        var root = Directory.CreateTempSubdirectory("orchest-bench-");
        try
        {
            await WarmUpAsync(root.FullName, scenarios, cancellationToken);
            foreach (var scenario in scenarios)
            {
                // The previous scenario's (or the warm-up's) run folders go before this one starts; the last ones with the root.
                await RemoveKeptAsync(cancellationToken);
                report.Scenarios.Add(await RunScenarioAsync(scenario, root.FullName, cancellationToken));
            }
        }
        finally
        {
            root.Delete(recursive: true);
        }

        report.Notes.AddRange(contenders.SelectMany(c => c.Notes));
        report.Finished = DateTimeOffset.UtcNow;
        report.LoadAtEnd = BenchmarkReport.ReadLoadAverage();
        return report;
    }

    /// <summary>
    /// One untimed tiny run per contender that has something to run: binaries, interpreters and imports come
    /// into the page cache (and the served host starts, the container image is built if absent).
    /// </summary>
    private async Task WarmUpAsync(string root, IReadOnlyList<IScenario> scenarios, CancellationToken cancellationToken)
    {
        var tiny = new ChainScenario().Build(ScenarioSizes.Smoke with { Chain = 2 });
        foreach (var contender in contenders.Where(c => c.Unavailable is null && scenarios.Any(s => s.Unavailable is null && c.Supports(s))))
        {
            try
            {
                await RunOnceAsync(contender, tiny, Path.Combine(root, "warm-up", contender.Name), cancellationToken);
            }
            catch (Exception ex) when (IsRunFailure(ex, cancellationToken))
            {
                progress.WriteLine($"warm-up {contender.Name}: {ex.Message}");
            }
        }
    }

    private async Task<ScenarioResult> RunScenarioAsync(IScenario scenario, string root, CancellationToken cancellationToken)
    {
        if (scenario.Unavailable is not null)
        {
            progress.WriteLine($"{scenario.Name}: n/a ({scenario.Unavailable})");
            return new ScenarioResult { Scenario = scenario.Name, Description = scenario.Description, Unavailable = scenario.Unavailable };
        }

        var workload = scenario.Build(options.Sizes);
        var result = new ScenarioResult
        {
            Scenario = scenario.Name, Description = scenario.Description, Steps = workload.Steps.Count, IsChain = workload.IsChain,
            Kind = scenario.Kind, RawBaseline = scenario.RawBaseline,
        };
        var running = new List<(IContender Contender, ContenderResult Result)>();
        foreach (var contender in contenders.Where(c => c.Supports(scenario)))
        {
            var entry = new ContenderResult { Contender = contender.Name, Unavailable = contender.Unavailable };
            result.Contenders.Add(entry);
            if (entry.Unavailable is null)
            {
                running.Add((contender, entry));
            }
        }

        foreach (var (contender, entry) in running.Where(r => r.Contender.WarmUp))
        {
            await TryRunAsync(contender, entry, workload, Path.Combine(root, scenario.Name, contender.Name + "-warm"), timed: false, cancellationToken);
        }


        for (var repetition = 0; repetition < options.Repetitions; repetition++)
        {
            for (var i = 0; i < running.Count; i++)
            {
                var (contender, entry) = running[(i + repetition) % running.Count];
                if (entry.Error is not null || (entry.Capped is not null && entry.Samples.Count >= options.SlowRepetitions))
                {
                    continue;
                }

                var directory = Path.Combine(root, scenario.Name, $"{contender.Name}-{repetition + 1}");
                if (await TryRunAsync(contender, entry, workload, directory, timed: true, cancellationToken) is { } sample)
                {
                    progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{scenario.Name} {contender.Name} #{entry.Samples.Count}: {sample.Wall.TotalSeconds:0.000} s"));
                    if (entry.Samples.Count == 1 && sample.Wall > options.SlowThreshold && options.Repetitions > options.SlowRepetitions)
                    {
                        entry.Capped = string.Create(CultureInfo.InvariantCulture,
                            $"first run took {sample.Wall.TotalSeconds:0} s (> {options.SlowThreshold.TotalSeconds:0} s): {options.SlowRepetitions} repetitions");
                        progress.WriteLine($"{scenario.Name} {contender.Name}: {entry.Capped}");
                    }
                }
            }
        }

        return result;
    }

    /// <summary>Removes the kept run folders, then waits <see cref="BenchmarkOptions.Settle"/> (see there why).</summary>
    private async Task RemoveKeptAsync(CancellationToken cancellationToken)
    {
        if (_kept.Count == 0)
        {
            return;
        }

        foreach (var directory in _kept)
        {
            Directory.Delete(directory, recursive: true);
        }

        _kept.Clear();
        _keptBytes = 0;
        if (options.Settle > TimeSpan.Zero)
        {
            progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"(run folders removed; {options.Settle.TotalSeconds:0} s for the file system to settle)"));
            await Task.Delay(options.Settle, cancellationToken);
        }
    }

    private async Task<Sample?> TryRunAsync(
        IContender contender, ContenderResult entry, Workload workload, string directory, bool timed, CancellationToken cancellationToken)
    {
        try
        {
            var sample = await RunOnceAsync(contender, workload, directory, cancellationToken);
            if (timed)
            {
                entry.Samples.Add(sample);
            }

            return sample;
        }
        catch (Exception ex) when (IsRunFailure(ex, cancellationToken))
        {
            entry.Error = ex.Message;
            progress.WriteLine($"{workload.Name} {contender.Name}: FAILED: {ex.Message}");
            return null;
        }
    }

    /// <summary>A failure of one run (reported in its row), not of the benchmark: an HTTP timeout counts, a cancellation does not.</summary>
    private static bool IsRunFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is InvalidOperationException or TimeoutException or IOException or UnauthorizedAccessException or HttpRequestException
            or System.Text.Json.JsonException
        || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested);

    private async Task<Sample> RunOnceAsync(IContender contender, Workload workload, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        try
        {
            return await contender.RunAsync(workload, new RunContext(directory, options.Parallelism, options.Interpreters, options.Timeout), cancellationToken);
        }
        finally
        {
            // Kept until the scenario ends (see BenchmarkOptions.Settle), unless they grow too big (data256).
            _kept.Add(directory);
            _keptBytes += new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
            if (_keptBytes > options.KeptBytes)
            {
                await RemoveKeptAsync(cancellationToken);
            }
        }
    }
}
