using System.Globalization;
using System.Text;
using Orchest.Chaos.Checks;
using Orchest.Chaos.Reporting;
using Orchest.Testing.Served;

namespace Orchest.Chaos.Trials;

public sealed partial class Trial
{
    /// <summary>The status reported for a run whose start got no answer (its host died) and which does not exist: nothing to check.</summary>
    private const string NeverCreated = "never created";

    private TrialReport Report(double seconds, double? load, TrialHosts hosts, string? evidence)
    {
        var runs = _runs.Select(run =>
        {
            var observed = _observed.FirstOrDefault(o => o.RunId == run.RunId && run.RunId is not null);
            return new RunSummary(
                run.Plan.Name, run.Plan.Shape, run.RunId, run.Submission?.Outcome ?? "not sent", run.Cancel?.Outcome,
                run.Cancel is { } cancel ? Math.Round(cancel.AtSeconds, 2) : null,
                observed?.Status ?? (run.RunId is null ? NeverCreated : null), run.Plan.ExpectedStatus,
                run.Plan.Steps.Count, observed?.Steps.Sum(s => s.Attempt) ?? 0, Duration(observed),
                run.Redelivery is { } redelivery ? $"{redelivery.Outcome} {(string?)redelivery.Body?["status"]}".TrimEnd() : null);
        }).ToList();
        var jobRuns = _job?.History.SelectMany(t => t.RunIds).ToHashSet(StringComparer.Ordinal) ?? [];
        foreach (var stranger in _observed.Where(o => o.Plan is null))
        {
            // The cron job's runs are expected (SUCCESS, or ABORTED by the job's cancel); any other is unplanned.
            var (name, shape, submission, expected) = jobRuns.Contains(stranger.RunId) ? ("job", "cron", "job tick", "SUCCESS") : ("?", "?", "unplanned", "?");
            runs.Add(new RunSummary(name, shape, stranger.RunId, submission, null, null, stranger.Status, expected, stranger.Steps.Count, stranger.Steps.Sum(s => s.Attempt), Duration(stranger)));
        }

        return new TrialReport(plan.Index, plan.Seed, plan.Hosts, _installation.Prefix)
        {
            Seconds = Math.Round(seconds, 1),
            LoadAverage = load,
            RunsEndedAfterSeconds = _endedAfter,
            Runs = runs,
            Kill = _kill,
            FailoverSeconds = _kill is { } kill ? KillChecks.FailoverSeconds(kill, _observed) : [],
            UncommittedOutputSets = _observed.Sum(CommitChecks.Uncommitted),
            SpuriousWorkerLosses = KillChecks.SpuriousLosses(_kill, _observed),
            Violations = [.. _violations],
            HostWarnings = HostDiagnostics.Count(hosts.All.Select(h => h.Process.Output)),
            HostStates = _hostStates,
            Evidence = evidence,
        };
    }

    /// <summary>
    /// What a person needs to look into a violation: the plan, what the trial did, what the runs became
    /// (events included), every host's output, and for each run with a violation (each run with
    /// --evidence-always) its raw projection rows, its steps' logs and the task hub history of its
    /// orchestration and of its projection entity.
    /// </summary>
    private async Task<string> WriteEvidenceAsync(TrialHosts hosts, StorageInspector storage)
    {
        var folder = Path.Combine(options.OutputDirectory, "evidence", string.Create(CultureInfo.InvariantCulture, $"trial-{plan.Index:D3}-seed-{plan.Seed}"));
        Directory.CreateDirectory(folder);
        await ReportJson.WriteAsync(Path.Combine(folder, "plan.json"), plan);
        await ReportJson.WriteAsync(Path.Combine(folder, "violations.json"), _violations);
        await ReportJson.WriteAsync(Path.Combine(folder, "submitted.json"), _runs);
        await ReportJson.WriteAsync(Path.Combine(folder, "kill.json"), _kill);
        await ReportJson.WriteAsync(Path.Combine(folder, "runs.json"), _observed);
        await ReportJson.WriteAsync(Path.Combine(folder, "job.json"), _job);
        await File.WriteAllTextAsync(Path.Combine(folder, "hosts.log"), hosts.Describe());
        await File.WriteAllTextAsync(Path.Combine(folder, "storage.txt"), await StorageRowsAsync(storage));
        return folder;
    }

    private async Task<string> StorageRowsAsync(StorageInspector storage)
    {
        var text = new StringBuilder();
        try
        {
            var rows = await storage.EntitiesAsync("orchestruns");
            var runs = options.EvidenceAlways ? _observed.Select(o => o.RunId) : _violations.Select(v => v.RunId).OfType<string>();
            foreach (var runId in runs.Distinct(StringComparer.Ordinal))
            {
                text.Append("=== run ").Append(runId).Append(": projection rows\n");
                foreach (var row in rows.Where(r => r.PartitionKey == runId))
                {
                    text.Append("--- ").Append(row.RowKey).Append('\n').Append(StorageInspector.Text(row));
                }

                // The steps' logs say why a step failed that should not have (an interpreter or sandbox error).
                foreach (var (_, name, content) in await storage.AllBlobsAsync($"logs/{runId}/"))
                {
                    text.Append("=== ").Append(name).Append('\n').Append(Encoding.UTF8.GetString(content)).Append('\n');
                }

                foreach (var instance in (string[])[runId, "@runprojection@" + runId])
                {
                    text.Append("=== ").Append(instance).Append(": task hub history\n");
                    foreach (var row in await storage.HistoryAsync(instance))
                    {
                        text.Append("--- ").Append(row.RowKey).Append('\n').Append(StorageInspector.Text(row));
                    }
                }
            }
        }
        catch (Azure.RequestFailedException ex)
        {
            text.Append("storage unreadable: ").Append(ex.Message);
        }

        return text.ToString();
    }

    /// <summary>The 1-minute load average (Linux /proc/loadavg), or null where there is none.</summary>
    private static double? LoadAverage()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// Each host as the trial ends, before its hosts are stopped: killed, up, or exited by itself (with its
    /// code), and the first error its log shows, so a trial's lines alone tell a host that died or failed.
    /// </summary>
    private static IReadOnlyList<string> HostStates(TrialHosts hosts) =>
    [
        .. hosts.All.Select(h =>
        {
            var state = h.Killed ? "killed" : h.Process.ExitCode is { } code ? string.Create(CultureInfo.InvariantCulture, $"exited by itself with {code}") : "up";
            var errors = HostDiagnostics.Errors(h.Process.Output);
            return errors.Count == 0 ? $"{h.Name} {state}" : string.Create(CultureInfo.InvariantCulture, $"{h.Name} {state}, {errors.Count} error lines, first: {errors[0]}");
        }),
    ];

    private static double? Duration(ObservedRun? run) =>
        run is { Created: { } created, Finished: { } finished } ? Math.Round((finished - created).TotalSeconds, 2) : null;

    private static void DeleteFolder(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A step killed a moment ago may still hold a file; the temp folder goes later.
        }
    }
}
