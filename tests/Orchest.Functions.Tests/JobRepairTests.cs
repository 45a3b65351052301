using System.Net;
using System.Text.Json.Nodes;
using Orchest.Engine.Events;
using Orchest.Engine.Jobs;
using Orchest.Functions.Jobs;
using Orchest.Functions.Tests.Support;
using Orchest.Functions.Timers;
using Orchest.Testing;
using Xunit.Abstractions;

namespace Orchest.Functions.Tests;

/// <summary>
/// A host that recorded a job's change and died before it finished: a host with the timers role finishes it. A
/// job recorded as confirmed gets its orchestration, so it runs instead of saying PENDING for ever; the events
/// the request did not publish are published, once; a push-only job the request ended has its runs stopped;
/// drafts stay untouched.
/// </summary>
[Collection(ServedCollection.Name)]
public sealed class JobRepairTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ConfirmedDraftsWithoutTheirOrchestration_AreStartedByTheTimersHost_RunAndAnnounceTheirStart()
    {
        await using var bed = new ServedTestbed(azurite, output);
        var pipeline = new PipelineBuilder("repair").Shell("Quick");
        using var origin = ServedTestbed.Repository(pipeline);
        var host = await bed.StartHostAsync("a", "api,worker,timers", "--Orchest:Jobs:OrphanCheckInterval=00:00:02");
        using var api = bed.Api(host);
        var project = await api.CreateProjectAsync("repair-" + bed.Prefix, origin.Root);
        var once = (string)(await api.CreateJobAsync(project, new JsonObject { ["draft"] = true }))["id"]!;
        var cron = (string)(await api.CreateJobAsync(project, new JsonObject { ["draft"] = true, ["cron"] = "*/2 * * * * *" }))["id"]!;
        var draft = (string)(await api.CreateJobAsync(project, new JsonObject { ["draft"] = true }))["id"]!;
        var dropped = (string)(await api.CreateJobAsync(project, new JsonObject { ["draft"] = true }))["id"]!;

        // What each confirming request wrote before it died (PATCH with confirm_draft: the state, then its events
        // and the orchestration), and a draft's cancel (DELETE: the state, then its events).
        // A one-off job's PENDING has no event of its own, so that request got as far as starting the orchestration.
        var dying = bed.Storage.Jobs(new DiesBeforePublishing());
        foreach (var (job, status) in new[] { (once, JobStatus.Pending), (cron, JobStatus.Started), (dropped, JobStatus.Aborted) })
        {
            var before = (await dying.GetAsync(job))!;
            var change = dying.ApplyRequestedAsync(new JobProgress(job, before.State with { Status = status, Updated = DateTimeOffset.UtcNow }, JobStatus.Draft));
            if (status == JobStatus.Pending)
            {
                await change;
            }
            else
            {
                await Assert.ThrowsAsync<IOException>(() => change);
            }
        }

        var ran = await api.WaitForJobAsync(once, j => (string?)j["status"] == "SUCCESS", Timeout, host.ToString);
        Assert.Equal(1L, (long)ran["runs"]!);
        Assert.Equal("SUCCESS", (string?)Assert.Single(await api.JobRunsAsync(once))["status"]);
        var ticking = await api.WaitForJobAsync(cron, j => (long)j["runs"]! >= 1, Timeout, host.ToString);
        Assert.Equal("STARTED", (string?)ticking["status"]);

        // The cron job's start, which the dying request may not have published, is an event, once.
        var (_, listed, _) = await api.SendAsync(HttpMethod.Get, $"api/projects/{project}/events?type=project:cron-job:started&page_size=100");
        Assert.Equal([cron + "-started"], listed!["events"]!.AsArray().Select(e => (string)e!["id"]!));

        // The cancelled draft's end, which the dying request did not publish, is an event, once.
        var cancelled = await WaitForEventsAsync(api, project, "project:one-off-job:cancelled", dropped, host.ToString);
        Assert.Equal([dropped + "-cancelled"], cancelled);

        var untouched = await api.GetJobAsync(draft);
        Assert.Equal(("DRAFT", 0L), ((string?)untouched["status"], (long)untouched["runs"]!));
        Assert.Empty(await api.JobRunsAsync(draft));
        Assert.Equal("ABORTED", (string?)(await api.CommandAsync(cron, "cancel"))["status"]);
    }

    [Fact]
    public async Task PushOnlyJobCancelledByADyingRequest_TheTimersHostStopsItsRunsAndAnnouncesTheEnd()
    {
        const string secret = "repair-secret-for-tests";
        await using var bed = new ServedTestbed(azurite, output);
        var pipeline = new PipelineBuilder("repair-push").Step("Long", "long.sh", "sleep 120\n");
        var files = pipeline.StepFiles.ToDictionary(f => f.Key, f => f.Value);
        files["main.orchest"] = pipeline.ToJson();
        files[".orchest/jobs/every-push.json"] = "{\"on\": {\"push\": {}}}";
        using var repo = new GitPushRepository(files);
        var host = await bed.StartHostAsync(
            "a", "api,worker,timers", "--Orchest:WebhookSecrets:hooks=" + secret, "--Orchest:Jobs:OrphanCheckInterval=00:00:02");
        using var api = bed.Api(host);
        var project = await api.CreateProjectAsync("repair-push-" + bed.Prefix, repo.Bare, webhookSecret: "hooks");
        using var anonymous = host.CreateClient();
        var push = repo.Push(new Dictionary<string, string> { ["src/a.txt"] = "a" }, "a push");
        var (status, answer, _) = await new GitPushSender(anonymous, project).SendAsync(
            "github", GitPushSender.Push("refs/heads/main", push.Before, push.After), secret);
        Assert.True(status == HttpStatusCode.Accepted, $"{status}: {answer}");
        var job = (string)answer!["jobs"]!["created"]!.AsArray().Single()!["job_id"]!;
        var run = (string)answer["runs"]!.AsArray().Single()!["run_ids"]!.AsArray().Single()!;
        await api.WaitForRunAsync(run, r => (string?)r["status"] == "STARTED", Timeout, host.ToString);

        // DELETE /api/jobs/{job} as a request whose host died after writing the job's end: no event, the run goes on.
        var dying = bed.Storage.Jobs(new DiesBeforePublishing());
        var before = (await dying.GetAsync(job))!;
        await Assert.ThrowsAsync<IOException>(() => dying.ApplyRequestedAsync(new JobProgress(
            job, before.State with { Status = JobStatus.Aborted, Message = "Cancelled through the API.", Updated = DateTimeOffset.UtcNow }, before.State.Status)));

        var stopped = await api.WaitForEndAsync(run, Timeout, host.ToString);
        Assert.Equal("ABORTED", (string?)stopped["status"]);
        Assert.Equal([job + "-cancelled"], await WaitForEventsAsync(api, project, "project:one-off-job:cancelled", job, host.ToString));
        Assert.Equal("ABORTED", (string?)(await api.GetJobAsync(job))["status"]);
        var (again, problem, _) = await api.SendAsync(HttpMethod.Delete, $"api/jobs/{job}");
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Contains("already ended (ABORTED)", (string?)problem!["detail"], StringComparison.Ordinal);
    }

    /// <summary>The ids of the job's events of one type, once there is one (the repair runs every 2 s here).</summary>
    private static async Task<List<string>> WaitForEventsAsync(ApiClient api, string project, string type, string job, Func<string> context)
    {
        var deadline = DateTimeOffset.UtcNow + Timeout;
        while (true)
        {
            var (_, listed, _) = await api.SendAsync(HttpMethod.Get, $"api/projects/{project}/events?type={type}&page_size=100");
            var ids = listed!["events"]!.AsArray().Where(e => (string?)e!["job"] == job).Select(e => (string)e!["id"]!).ToList();
            if (ids.Count > 0)
            {
                // A second look: the repair does not publish it again (and if it did, the id is the same).
                await Task.Delay(TimeSpan.FromSeconds(3));
                var (_, after, _) = await api.SendAsync(HttpMethod.Get, $"api/projects/{project}/events?type={type}&page_size=100");
                return after!["events"]!.AsArray().Where(e => (string?)e!["job"] == job).Select(e => (string)e!["id"]!).ToList();
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"no {type} event of job {job} within {Timeout}. {context()}");
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }

    /// <summary>A request's host dying between storing a job change and publishing its events.</summary>
    private sealed class DiesBeforePublishing : IJobEvents
    {
        public Task PublishAsync(JobEvent jobEvent, CancellationToken cancellationToken = default) =>
            throw new IOException("the host died before publishing");
    }

    [Theory]
    [InlineData(JobStatus.Pending, 0, null, true)]
    [InlineData(JobStatus.Started, 0, "cron", true)]
    [InlineData(JobStatus.Draft, 0, null, false)]
    [InlineData(JobStatus.Paused, 0, "cron", false)]
    [InlineData(JobStatus.Aborted, 0, null, false)]
    [InlineData(JobStatus.Started, 1, "cron", false)]
    [InlineData(JobStatus.Started, 0, "push-only", false)]
    [InlineData(JobStatus.Started, 0, "declared cron", true)]
    public void MayLackItsOrchestration_OnlyConfirmedScheduledJobsThatNeverTicked(JobStatus status, long ticks, string? kind, bool expected)
    {
        var now = DateTimeOffset.UtcNow;
        var definition = new JobDefinition
        {
            Id = "j", ProjectId = "p", Name = "n", PipelinePath = "main.orchest", Created = now,
            Schedule = kind is "cron" or "declared cron" ? new JobSchedule { Cron = "0 3 * * *" } : new JobSchedule(),
            Declaration = kind is "push-only" or "declared cron" ? new JobDeclaration { File = ".orchest/jobs/nightly.json", Commit = "abc", Content = "{}", OnPush = true } : null,
        };
        var job = new JobSnapshot(definition, new JobState { Status = status, Ticks = ticks, Updated = now });

        Assert.Equal(expected, JobRepair.MayLackItsOrchestration(job));
    }

    [Fact]
    public void Validate_OrphanCheckIntervalUnderASecond_SaysWhatToSet()
    {
        Assert.Equal(
            ["Orchest:Jobs:OrphanCheckInterval must be at least 00:00:01."],
            new JobOptions { OrphanCheckInterval = TimeSpan.FromMilliseconds(500) }.Validate());
        Assert.Empty(new JobOptions().Validate());
    }
}
