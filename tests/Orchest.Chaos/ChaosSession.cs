using System.Globalization;
using Orchest.Chaos.Reporting;
using Orchest.Chaos.Trials;
using Orchest.Chaos.Workloads;

namespace Orchest.Chaos;

/// <summary>
/// Runs the trials one after the other (one trial at a time keeps this a check of the product, not of
/// an overloaded machine), prints each trial's line, and rewrites the results file after every trial,
/// so a long session can be read while it runs and a stopped one keeps what it did.
/// </summary>
public sealed class ChaosSession(ChaosOptions options, string connectionString, TextWriter output, TextWriter log)
{
    public string ResultsPath => Path.Combine(options.OutputDirectory, "results.json");

    /// <summary>What infra/chaos.sh says was checked out (git describe), so a seed can be planned again with the same planner.</summary>
    private static string Revision => Environment.GetEnvironmentVariable("ORCHEST_CHAOS_REVISION") ?? "unknown";

    public async Task<ChaosResults> RunAsync(CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var trials = new List<TrialReport>();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"chaos: {options.Trials} {(options.Small ? "small" : "full")} trials, {options.Hosts} hosts each, seeds {options.Seed}..{options.Seed + options.Trials - 1} (revision {Revision}); results in {ResultsPath}"));
        var results = new ChaosResults(Revision, options, started, ChaosSummary.Of(trials), trials);
        for (var index = 1; index <= options.Trials; index++)
        {
            var plan = WorkloadPlanner.Plan(index, options.Seed + index - 1, options.Hosts, options.Small);
            TrialReport trial;
            try
            {
                trial = await new Trial(plan, options, connectionString, log).RunAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await output.WriteLineAsync($"chaos: stopped during trial {index}; it is not counted.");
                break;
            }

            trials.Add(trial);
            await output.WriteLineAsync(ReportText.Trial(trial));
            results = new ChaosResults(Revision, options, started, ChaosSummary.Of(trials), [.. trials]);
            await ReportJson.WriteAsync(ResultsPath, results, CancellationToken.None);
        }

        await output.WriteLineAsync(ReportText.Summary(results.Summary, ResultsPath));
        return results;
    }
}
