using System.Net;
using System.Security.Cryptography;
using System.Text;
using Orchest.Chaos.Checks;
using Orchest.Testing;
using Orchest.Testing.Served;

namespace Orchest.Chaos.Trials;

public sealed partial class Trial
{
    private static readonly TimeSpan EndPollInterval = TimeSpan.FromSeconds(1);

    /// <summary>Partition failover (lease, visibility timeout) with room to spare on a loaded machine.</summary>
    private static readonly TimeSpan UnansweredStartGrace = TimeSpan.FromSeconds(30);
    private static readonly string[] Terminal = ["SUCCESS", "FAILURE", "ABORTED"];

    /// <summary>
    /// Polls the project's run list until every run ended (and every accepted run is listed), at most
    /// <see cref="ChaosOptions.RunTimeout"/>. A run whose start got no answer but which exists is adopted
    /// here (by its pipeline: each planned run has its own). A push a host claimed without answering is
    /// waited for until its run exists (its handling is taken over). Returns the ids the list showed.
    /// </summary>
    private async Task<IReadOnlyCollection<string>> WaitForEndAsync(ChaosApi api, StorageInspector storage, string project, CancellationToken cancellationToken)
    {
        var deadline = _workload.Elapsed + options.RunTimeout;
        var unansweredGrace = _workload.Elapsed + UnansweredStartGrace;
        var listed = new Dictionary<string, (string? Pipeline, string? Status)>(StringComparer.Ordinal);
        while (true)
        {
            if (await ListAsync(api, project, cancellationToken) is { } page)
            {
                listed = page;
            }

            foreach (var run in _runs.Where(r => r.RunId is null))
            {
                run.RunId = listed.FirstOrDefault(l => l.Value.Pipeline == run.Plan.PipelinePath).Key;
            }

            var waiting = listed.Count(l => !Terminal.Contains(l.Value.Status)) + _runs.Count(r => r.Acknowledged && (r.RunId is not { } id || !listed.ContainsKey(id)));
            // A start whose host died after starting the orchestration shows up once the orchestration's
            // first progress lands, after the partition moved: give it time before calling it never created.
            var unanswered = _runs.Any(r => r.RunId is null && r.Submission is { Status: null });
            var unrun = _runs.Where(r => r.RunId is null && r.DeliveryId is not null).ToList();
            var claimedUnrun = unrun.Count > 0 && (await ClaimedDeliveriesAsync(storage, project)).Overlaps(unrun.Select(r => r.DeliveryId!));
            if (waiting == 0 && !claimedUnrun && (!unanswered || _workload.Elapsed > unansweredGrace))
            {
                _endedAfter = Math.Round(_workload.Elapsed.TotalSeconds, 2);
                return listed.Keys;
            }

            if (_workload.Elapsed > deadline)
            {
                return listed.Keys;
            }

            await Task.Delay(EndPollInterval, cancellationToken);
        }
    }

    /// <summary>
    /// The ids of the git deliveries hosts claimed for the project (rows of the delivery log, which hosts
    /// key by a hash of the provider and the id: GitDeliveryLog's layout).
    /// </summary>
    private async Task<IReadOnlySet<string>> ClaimedDeliveriesAsync(StorageInspector storage, string project)
    {
        var rows = (await storage.EntitiesAsync("orchestprojects"))
            .Where(e => e.PartitionKey == "gitdelivery~" + project)
            .Select(e => e.RowKey)
            .ToHashSet(StringComparer.Ordinal);
        return _runs.Select(r => r.DeliveryId).OfType<string>()
            .Where(id => rows.Contains(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("github:" + id)))))
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Every run of the project with its pipeline and status, or null when no live host answered.</summary>
    private static async Task<Dictionary<string, (string? Pipeline, string? Status)>?> ListAsync(ChaosApi api, string project, CancellationToken cancellationToken)
    {
        var runs = new Dictionary<string, (string?, string?)>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var query = token is null ? "" : "&continuation_token=" + Uri.EscapeDataString(token);
            var page = await api.GetAsync($"api/projects/{project}/runs?page_size=200{query}", cancellationToken);
            if (page.Status != HttpStatusCode.OK || page.Body is null)
            {
                return null;
            }

            foreach (var run in page.Body["runs"]?.AsArray() ?? [])
            {
                runs[(string)run!["id"]!] = ((string?)run["pipeline"], (string?)run["status"]);
            }

            token = (string?)page.Body["continuation_token"];
        }
        while (token is not null);

        return runs;
    }

    /// <summary>Once every run ended, no step process of the trial may run any more (they are found by the trial's marker).</summary>
    private async Task CheckStepsGoneAsync()
    {
        if (_endedAfter is null)
        {
            return; // runs that never ended may rightly still run steps; they are violations already
        }

        var deadline = DateTime.UtcNow + StepsGoneTimeout;
        IReadOnlyList<ProcessEntry> left;
        while ((left = ProcessTable.FindByEnvironment(MarkerVariable, Marker)).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        foreach (var step in left)
        {
            Violate(new Violation(ViolationKinds.StepProcessLeft, step.Variable("ORCHEST_RUN_UUID"),
                $"pid {step.Pid} (step {step.Variable("ORCHEST_STEP_UUID")} attempt {step.Variable("ORCHEST_STEP_ATTEMPT")}, in {step.Variable("ORCHEST_PROJECT_DIR")}) "
                + $"still runs {StepsGoneTimeout.TotalSeconds:0} s after every run ended"));
        }
    }

    /// <summary>Whatever step process outlived the trial's hosts goes (after the checks counted it).</summary>
    private async Task KillLeftoversAsync()
    {
        if (_project is null)
        {
            return; // no project, no step
        }

        foreach (var group in ProcessTable.FindByEnvironment(MarkerVariable, Marker).Select(p => p.ProcessGroup).Where(g => g > 1).Distinct())
        {
            await OrchestServeProcess.SignalAsync(-group, "KILL");
        }
    }
}
