using System.Net;
using System.Text.Json.Nodes;
using Orchest.Chaos.Checks;
using Orchest.Chaos.Workloads;

namespace Orchest.Chaos.Trials;

public sealed partial class Trial
{
    /// <summary>How long the cron job may take to show ABORTED after its cancel (its orchestration may be moving to another host).</summary>
    private static readonly TimeSpan JobEndTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Creates the trial's cron job (<see cref="ScheduledJob"/>); null (and a violation) when no host created it.</summary>
    private async Task<string?> CreateJobAsync(ChaosApi api, string project, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["name"] = "chaos cron", ["pipeline"] = ScheduledJob.PipelinePath, ["cron"] = ScheduledJob.Cron };
        var created = await api.PostAsync($"api/projects/{project}/jobs", body, cancellationToken);
        if (created.Status == HttpStatusCode.Created && (string?)created.Body?["id"] is { } id)
        {
            return id;
        }

        Violate(new Violation(ViolationKinds.JobNotEnded, null, $"POST /api/projects/{{id}}/jobs answered {created.Outcome}: {created.Error ?? created.Body?.ToJsonString()}"));
        return null;
    }

    /// <summary>The job once it ended (or as it is after <see cref="JobEndTimeout"/>), with its whole history and run list.</summary>
    private static async Task<ObservedJob> ObserveJobAsync(ChaosApi api, string jobId, ApiAnswer? cancel, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + JobEndTimeout;
        ApiAnswer answer;
        while (true)
        {
            answer = await api.GetAsync($"api/jobs/{jobId}", cancellationToken);
            var status = answer.Status == HttpStatusCode.OK ? (string?)answer.Body?["status"] : null;
            if (status is "ABORTED" or "SUCCESS" or "FAILURE" || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(EndPollInterval, cancellationToken);
        }

        if (answer.Status != HttpStatusCode.OK || answer.Body is not JsonObject job)
        {
            return new ObservedJob(jobId) { Answer = answer, Cancel = cancel };
        }

        var history = (job["history"]?.AsArray() ?? []).Select(t => new ObservedTick(
                (long)t!["sequence"]!, (string)t["kind"]!, (DateTimeOffset)t["scheduled_for"]!, (long)t["skipped"]!,
                [.. t["run_ids"]!.AsArray().Select(r => (string)r!)], [.. t["problems"]!.AsArray().Select(p => (string)p!)]))
            .OrderBy(t => t.Sequence)
            .ToList();
        return new ObservedJob(jobId)
        {
            Status = (string?)job["status"],
            Answer = answer,
            Cancel = cancel,
            Ticks = (long)job["ticks"]!,
            Runs = (long)job["runs"]!,
            LastScheduled = (DateTimeOffset?)job["last_scheduled_time"],
            History = history,
            ListedRuns = await JobRunsAsync(api, jobId, cancellationToken),
        };
    }

    /// <summary>Every run GET /api/jobs/{id}/runs lists (all pages); null when no host answered.</summary>
    private static async Task<IReadOnlyList<string>?> JobRunsAsync(ChaosApi api, string jobId, CancellationToken cancellationToken)
    {
        var runs = new List<string>();
        string? token = null;
        do
        {
            var query = token is null ? "" : "&continuation_token=" + Uri.EscapeDataString(token);
            var page = await api.GetAsync($"api/jobs/{jobId}/runs?page_size=200{query}", cancellationToken);
            if (page.Status != HttpStatusCode.OK || page.Body is null)
            {
                return null;
            }

            runs.AddRange((page.Body["runs"]?.AsArray() ?? []).Select(r => (string)r!["id"]!));
            token = (string?)page.Body["continuation_token"];
        }
        while (token is not null);

        return runs;
    }
}
