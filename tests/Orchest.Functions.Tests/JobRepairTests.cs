using System.Text.Json.Nodes;
using Orchest.Engine.Jobs;
using Orchest.Functions.Jobs;
using Orchest.Functions.Tests.Support;
using Orchest.Functions.Timers;
using Orchest.Testing;
using Xunit.Abstractions;

namespace Orchest.Functions.Tests;

/// <summary>
/// A host that recorded a job as confirmed and died before it started the job's orchestration: a host with the
/// timers role starts it, so the job runs instead of saying PENDING for ever; drafts stay untouched.
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

        // What each confirming request wrote before it died (PATCH with confirm_draft: the state, then the orchestration).
        var store = bed.Storage.Jobs();
        foreach (var (job, status) in new[] { (once, JobStatus.Pending), (cron, JobStatus.Started) })
        {
            var before = (await store.GetAsync(job))!;
            await store.ApplyAsync(new JobProgress(job, before.State with { Status = status, Updated = DateTimeOffset.UtcNow }, JobStatus.Draft));
        }

        var ran = await api.WaitForJobAsync(once, j => (string?)j["status"] == "SUCCESS", Timeout, host.ToString);
        Assert.Equal(1L, (long)ran["runs"]!);
        Assert.Equal("SUCCESS", (string?)Assert.Single(await api.JobRunsAsync(once))["status"]);
        var ticking = await api.WaitForJobAsync(cron, j => (long)j["runs"]! >= 1, Timeout, host.ToString);
        Assert.Equal("STARTED", (string?)ticking["status"]);

        // The cron job's start, which the dying request may not have published, is an event, once.
        var (_, listed, _) = await api.SendAsync(HttpMethod.Get, $"api/projects/{project}/events?type=project:cron-job:started&page_size=100");
        Assert.Equal([cron + "-started"], listed!["events"]!.AsArray().Select(e => (string)e!["id"]!));

        var untouched = await api.GetJobAsync(draft);
        Assert.Equal(("DRAFT", 0L), ((string?)untouched["status"], (long)untouched["runs"]!));
        Assert.Empty(await api.JobRunsAsync(draft));
        Assert.Equal("ABORTED", (string?)(await api.CommandAsync(cron, "cancel"))["status"]);
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

        Assert.Equal(expected, JobOrchestrationRepair.MayLackItsOrchestration(job));
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
