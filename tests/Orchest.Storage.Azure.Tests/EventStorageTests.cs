using Orchest.Engine.Events;
using Orchest.Engine.Jobs;
using Orchest.Engine.Webhooks;
using Orchest.Storage.Azure.Events;
using Orchest.Storage.Azure.Tables;
using Orchest.Storage.Azure.Tests.Support;
using Orchest.Testing;

namespace Orchest.Storage.Azure.Tests;

/// <summary>The event log and webhook outbox on Azurite: idempotent recording, claims, outcomes, deletion.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class EventStorageTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Append_RedeliveredWithAMatchingSubscription_ListsEachEventOnceAndQueuesEachMatchOnce()
    {
        await using var world = await World.CreateAsync(azurite);
        await world.Store.CreateAsync(Subscription("s1", "*:pipeline-run:failed", "*:step:failed"));
        var events = new[] { Event(0, "run.created"), Event(1, "step.failed", "step-a"), Event(2, "run.failed") };

        await world.Log.AppendAsync(events, T0.AddSeconds(3));
        await world.Log.AppendAsync(events, T0.AddSeconds(3));

        var due = await world.Store.ListDueAsync("s1", T0.AddHours(1), 10);
        Assert.Equal(["run-1-000002", "run-1-000001"], due.Select(d => OrchestEventJson.Deserialize(d.EventJson).Id));
        Assert.All(due, d => Assert.Equal(0, d.Claims));
        var history = await world.Store.ListAsync("s1", 10, null);
        Assert.Equal([WebhookDelivery.Pending, WebhookDelivery.Pending], history.Deliveries.Select(d => d.Status));
        var listed = await world.Log.ListAsync(new EventQuery("p1", null, null, 10, null));
        Assert.Equal(events.Select(e => e.Id), listed.Events.Select(e => e.Id));
        Assert.Null(listed.ContinuationToken);
        var failed = await world.Log.ListAsync(new EventQuery("p1", null, "*:failed", 10, null));
        Assert.Equal(["run-1-000001", "run-1-000002"], failed.Events.Select(e => e.Id));
    }

    [Fact]
    public async Task Outbox_ClaimRetryAndDeliver_OneClaimWinsTheHistoryKeepsEveryAttemptAndADeliveredEventIsNotQueuedAgain()
    {
        await using var world = await World.CreateAsync(azurite);
        await world.Store.CreateAsync(Subscription("s1", "*"));
        var failed = Event(2, "run.failed");
        await world.Log.AppendAsync([failed], T0);
        var due = Assert.Single(await world.Store.ListDueAsync("s1", T0.AddHours(1), 10));

        var claimed = await world.Store.ClaimAsync(due, "h1", T0.AddHours(1).AddSeconds(40));
        Assert.Null(await world.Store.ClaimAsync(due, "h2", T0.AddHours(1).AddSeconds(40)));
        Assert.NotNull(claimed);
        Assert.Empty(await world.Store.ListDueAsync("s1", T0.AddHours(1), 10));

        var first = new WebhookAttempt(1, T0.AddHours(1), "h1", 12, 500, "HTTP 500");
        await world.Store.SettleAsync(claimed, Record(failed, WebhookDelivery.Pending, first), T0.AddHours(2));
        Assert.Empty(await world.Store.ListDueAsync("s1", T0.AddHours(1).AddMinutes(1), 10));
        var again = Assert.Single(await world.Store.ListDueAsync("s1", T0.AddHours(2), 10));
        Assert.Equal((1, first), (again.Claims, Assert.Single(again.Attempts)));

        var second = await world.Store.ClaimAsync(again, "h2", T0.AddHours(3));
        var delivered = new WebhookAttempt(2, T0.AddHours(2), "h2", 8, 200);
        await world.Store.SettleAsync(second!, Record(failed, WebhookDelivery.Delivered, first, delivered), null);

        Assert.Empty(await world.Store.ListDueAsync("s1", T0.AddDays(1), 10));
        var record = Assert.Single((await world.Store.ListAsync("s1", 10, null)).Deliveries);
        Assert.Equal((WebhookDelivery.Delivered, 2), (record.Status, record.Attempts.Count));

        await world.Log.AppendAsync([failed], T0);
        Assert.Empty(await world.Store.ListDueAsync("s1", T0.AddDays(1), 10));
    }

    [Fact]
    public async Task JobStore_AChangeRecordedTwice_PublishesItsJobEventsOnceEach()
    {
        await using var world = await World.CreateAsync(azurite);
        await world.Store.CreateAsync(Subscription("s1", "project:cron-job:*"));
        var jobs = new TableJobStore(world.Storage.Account, new JobEventPublisher(world.Log));
        var job = new JobDefinition { Id = "job-1", ProjectId = "p1", Name = "n", PipelinePath = "main.orchest", Schedule = new JobSchedule { Cron = "* * * * *" }, Created = T0 };
        await jobs.CreateAsync(job, new JobState { Status = JobStatus.Started, Updated = T0 });
        var tick = new JobTick { Sequence = 1, Key = "at:1", Kind = JobTickKind.Triggered, ScheduledFor = T0, Started = T0, Commit = "aaa", RunIds = ["r1"] };
        var progress = new JobProgress("job-1", new JobState { Status = JobStatus.Paused, Updated = T0.AddMinutes(1), Ticks = 1, Runs = 1 }, JobStatus.Started, tick);

        // A retried activity records the same change again (its first attempt may have died before or after publishing).
        await jobs.ApplyAsync(progress);
        await jobs.ApplyAsync(progress);

        string[] expected = ["job-1-created", "job-1-started", "job-1-paused-20261205T1201000000000Z", "job-1-tick-1-started"];
        var listed = await world.Log.ListAsync(new EventQuery("p1", null, null, 20, null));
        Assert.Equal(expected, listed.Events.Select(e => e.Id));
        Assert.Equal(["job.created", "job.started", "job.paused", "job.run.started"], listed.Events.Select(e => e.Kind));
        Assert.Equal(expected.Order(StringComparer.Ordinal), (await world.Store.ListAsync("s1", 20, null)).Deliveries.Select(d => d.EventId).Order(StringComparer.Ordinal));
        Assert.Equal(4, (await world.Store.ListDueAsync("s1", T0.AddHours(1), 20)).Count);
    }

    [Fact]
    public async Task JobStore_ARequestThatDiedBeforePublishing_ItsEventsComeWithTheJobsNextRecordedChange()
    {
        await using var world = await World.CreateAsync(azurite);
        var dying = new TableJobStore(world.Storage.Account, new DiesBeforePublishing());
        var jobs = new TableJobStore(world.Storage.Account, new JobEventPublisher(world.Log));
        var job = new JobDefinition { Id = "job-2", ProjectId = "p1", Name = "n", PipelinePath = "main.orchest", Schedule = new JobSchedule { Cron = "* * * * *" }, Created = T0 };

        // Created (stored, then the request died), and updated the same way.
        await Assert.ThrowsAsync<IOException>(() => dying.CreateAsync(job, new JobState { Status = JobStatus.Started, Updated = T0 }));
        var stored = (await jobs.GetAsync("job-2"))!.Definition;
        await Assert.ThrowsAsync<IOException>(() => dying.UpdateAsync(stored with { Revision = 2, Updated = T0.AddMinutes(1), Name = "renamed" }));
        Assert.Empty((await world.Log.ListAsync(new EventQuery("p1", null, null, 20, null))).Events);
        Assert.Equal("created STARTED 2026-12-05T12:00:00.0000000+00:00;updated", await UnannouncedAsync(world, "job-2"));

        // The job's next recorded change (its orchestration's first tick) publishes what was missed, then itself.
        var tick = new JobTick { Sequence = 1, Key = "at:1", Kind = JobTickKind.Scheduled, ScheduledFor = T0.AddMinutes(2), Started = T0.AddMinutes(2), RunIds = ["r1"] };
        var progress = new JobProgress("job-2", new JobState { Status = JobStatus.Started, Updated = T0.AddMinutes(2), Ticks = 1, Runs = 1 }, JobStatus.Started, tick);
        await jobs.ApplyAsync(progress);
        await jobs.ApplyAsync(progress);

        var listed = await world.Log.ListAsync(new EventQuery("p1", null, null, 20, null));
        Assert.Equal(["job-2-created", "job-2-started", "job-2-updated-2", "job-2-tick-1-started"], listed.Events.Select(e => e.Id));
        Assert.Null(await UnannouncedAsync(world, "job-2"));

        // A request that lives publishes at once and leaves no mark; the ETag it returns is the row's.
        var fresh = job with { Id = "job-3" };
        await jobs.CreateAsync(fresh, new JobState { Status = JobStatus.Started, Updated = T0 });
        Assert.Null(await UnannouncedAsync(world, "job-3"));
        var updated = await jobs.UpdateAsync((await jobs.GetAsync("job-3"))!.Definition with { Revision = 2, Updated = T0.AddMinutes(1) });
        Assert.Equal(updated.ETag, (await jobs.GetAsync("job-3"))!.Definition.ETag);
        Assert.Null(await UnannouncedAsync(world, "job-3"));
        var ids = (await world.Log.ListAsync(new EventQuery("p1", null, null, 20, null))).Events.Select(e => e.Id).ToList();
        Assert.Equal(["job-3-created", "job-3-started", "job-3-updated-2"], ids.Where(id => id.StartsWith("job-3", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task JobStore_ACreationThatDiedBeforePublishing_CreatedAndStartedComeWithTheFirstTick()
    {
        await using var world = await World.CreateAsync(azurite);
        var dying = new TableJobStore(world.Storage.Account, new DiesBeforePublishing());
        var jobs = new TableJobStore(world.Storage.Account, new JobEventPublisher(world.Log));
        var job = new JobDefinition { Id = "job-4", ProjectId = "p1", Name = "n", PipelinePath = "main.orchest", Schedule = new JobSchedule { Cron = "* * * * *" }, Created = T0 };
        await Assert.ThrowsAsync<IOException>(() => dying.CreateAsync(job, new JobState { Status = JobStatus.Started, Updated = T0 }));

        var tick = new JobTick { Sequence = 1, Key = "at:1", Kind = JobTickKind.Scheduled, ScheduledFor = T0.AddMinutes(1), Started = T0.AddMinutes(1), RunIds = ["r1"] };
        await jobs.ApplyAsync(new JobProgress("job-4", new JobState { Status = JobStatus.Started, Updated = T0.AddMinutes(1), Ticks = 1, Runs = 1 }, JobStatus.Started, tick));

        var listed = await world.Log.ListAsync(new EventQuery("p1", null, null, 20, null));
        Assert.Equal(["job-4-created", "job-4-started", "job-4-tick-1-started"], listed.Events.Select(e => e.Id));
        Assert.All(listed.Events.Take(2), e => Assert.Equal(T0, e.Time));
    }

    [Fact]
    public async Task JobStore_ARequestedChangeWhoseRequestDied_StaysMarkedUntilAnnounced_ThenItsEventsAreOutOnce()
    {
        await using var world = await World.CreateAsync(azurite);
        var dying = new TableJobStore(world.Storage.Account, new DiesBeforePublishing());
        var jobs = new TableJobStore(world.Storage.Account, new JobEventPublisher(world.Log));
        var draft = new JobDefinition { Id = "job-5", ProjectId = "p1", Name = "n", PipelinePath = "main.orchest", Schedule = new JobSchedule(), Created = T0 };
        await jobs.CreateAsync(draft, new JobState { Status = JobStatus.Draft, Updated = T0 });
        Assert.Null((await jobs.GetAsync("job-5"))!.UnannouncedSince);
        Assert.False(await jobs.AnnounceAsync("job-5"));

        // The draft is cancelled by a request whose host dies before publishing: the state is written, with the mark.
        var cancelled = new JobProgress("job-5", new JobState { Status = JobStatus.Aborted, Message = "Cancelled as a draft.", Updated = T0.AddMinutes(1) }, JobStatus.Draft);
        await Assert.ThrowsAsync<IOException>(() => dying.ApplyRequestedAsync(cancelled));
        var marked = (await jobs.GetAsync("job-5"))!;
        Assert.Equal(JobStatus.Aborted, marked.State.Status);
        Assert.NotNull(marked.UnannouncedSince);
        Assert.Equal(["job-5-created"], (await world.Log.ListAsync(new EventQuery("p1", null, null, 20, null))).Events.Select(e => e.Id));

        // The repair announces it, once; a second look finds nothing to do.
        Assert.True(await jobs.AnnounceAsync("job-5"));
        Assert.False(await jobs.AnnounceAsync("job-5"));
        Assert.Null((await jobs.GetAsync("job-5"))!.UnannouncedSince);
        var events = (await world.Log.ListAsync(new EventQuery("p1", null, null, 20, null))).Events;
        Assert.Equal(["job-5-created", "job-5-cancelled"], events.Select(e => e.Id));
        Assert.Equal((OrchestEventTypes.Jobs.OneOffCancelled, T0.AddMinutes(1), "Cancelled as a draft."), (events[1].Type, events[1].Time, events[1].Message));

        // A request that lives publishes at once and leaves no mark.
        await jobs.CreateAsync(draft with { Id = "job-6" }, new JobState { Status = JobStatus.Draft, Updated = T0 });
        await jobs.ApplyRequestedAsync(cancelled with { JobId = "job-6" });
        Assert.Null((await jobs.GetAsync("job-6"))!.UnannouncedSince);
        Assert.Contains("job-6-cancelled", (await world.Log.ListAsync(new EventQuery("p1", null, null, 20, null))).Events.Select(e => e.Id));
    }

    [Fact]
    public async Task JobStore_ConfirmedByADyingRequest_TheOrchestrationsFirstTickPublishesTheConfirmationFirst()
    {
        await using var world = await World.CreateAsync(azurite);
        var dying = new TableJobStore(world.Storage.Account, new DiesBeforePublishing());
        var jobs = new TableJobStore(world.Storage.Account, new JobEventPublisher(world.Log));
        var job = new JobDefinition { Id = "job-7", ProjectId = "p1", Name = "n", PipelinePath = "main.orchest", Schedule = new JobSchedule { Cron = "* * * * *" }, Created = T0 };
        await jobs.CreateAsync(job, new JobState { Status = JobStatus.Draft, Updated = T0 });
        await Assert.ThrowsAsync<IOException>(() => dying.ApplyRequestedAsync(
            new JobProgress("job-7", new JobState { Status = JobStatus.Started, Updated = T0.AddMinutes(1) }, JobStatus.Draft)));

        var tick = new JobTick { Sequence = 1, Key = "at:1", Kind = JobTickKind.Scheduled, ScheduledFor = T0.AddMinutes(2), Started = T0.AddMinutes(2), RunIds = ["r1"] };
        await jobs.ApplyAsync(new JobProgress("job-7", new JobState { Status = JobStatus.Started, Updated = T0.AddMinutes(2), Ticks = 1, Runs = 1 }, JobStatus.Started, tick));

        var listed = await world.Log.ListAsync(new EventQuery("p1", null, null, 20, null));
        Assert.Equal(["job-7-created", "job-7-started", "job-7-tick-1-started"], listed.Events.Select(e => e.Id));
        Assert.Equal(T0.AddMinutes(1), listed.Events[1].Time);
        Assert.Null((await jobs.GetAsync("job-7"))!.UnannouncedSince);
        Assert.False(await jobs.AnnounceAsync("job-7"));
    }

    [Fact]
    public async Task JobStore_AnUpdateAfterACreationWhoseRequestDied_PublishesTheCreationToo()
    {
        await using var world = await World.CreateAsync(azurite);
        var dying = new TableJobStore(world.Storage.Account, new DiesBeforePublishing());
        var jobs = new TableJobStore(world.Storage.Account, new JobEventPublisher(world.Log));
        var job = new JobDefinition { Id = "job-8", ProjectId = "p1", Name = "n", PipelinePath = "main.orchest", Schedule = new JobSchedule(), Created = T0 };
        await Assert.ThrowsAsync<IOException>(() => dying.CreateAsync(job, new JobState { Status = JobStatus.Draft, Updated = T0 }));

        var stored = (await jobs.GetAsync("job-8"))!.Definition;
        await jobs.UpdateAsync(stored with { Revision = 2, Updated = T0.AddMinutes(1), Name = "renamed" });

        var listed = await world.Log.ListAsync(new EventQuery("p1", null, null, 20, null));
        Assert.Equal(["job-8-created", "job-8-updated-2"], listed.Events.Select(e => e.Id));
        Assert.Null(await UnannouncedAsync(world, "job-8"));
        Assert.Null((await jobs.GetAsync("job-8"))!.UnannouncedSince);
    }

    [Fact]
    public async Task DeleteSubscription_RemovesItsPendingDeliveriesAndHistory_EventsStayListed()
    {
        await using var world = await World.CreateAsync(azurite);
        await world.Store.CreateAsync(Subscription("s1", "*"));
        await world.Store.CreateAsync(Subscription("s2", "*"));
        await world.Log.AppendAsync([Event(0, "run.created"), Event(1, "run.started")], T0);

        Assert.True(await world.Store.DeleteAsync("s1"));
        Assert.False(await world.Store.DeleteAsync("s1"));

        Assert.Empty(await world.Store.ListDueAsync("s1", T0.AddDays(1), 10));
        Assert.Empty((await world.Store.ListAsync("s1", 10, null)).Deliveries);
        Assert.Equal(2, (await world.Store.ListDueAsync("s2", T0.AddDays(1), 10)).Count);
        Assert.Equal(["s2"], (await world.Store.ListAsync()).Select(s => s.Id));
        Assert.Equal(2, (await world.Log.ListAsync(new EventQuery("p1", null, null, 10, null))).Events.Count);
    }

    [Fact]
    public async Task ListEvents_PagesSinceAndTokens_ReadOnInRecordedOrder()
    {
        await using var world = await World.CreateAsync(azurite);
        for (var i = 0; i < 5; i++)
        {
            await world.Log.AppendAsync([Event(i, "step.succeeded", "s")], T0.AddSeconds(i));
        }

        var first = await world.Log.ListAsync(new EventQuery("p1", null, null, 2, null));
        var second = await world.Log.ListAsync(new EventQuery("p1", null, null, 2, first.ContinuationToken));
        var third = await world.Log.ListAsync(new EventQuery("p1", null, null, 2, second.ContinuationToken));
        var since = await world.Log.ListAsync(new EventQuery("p1", T0.AddSeconds(3), null, 10, null));

        Assert.Equal(["run-1-000000", "run-1-000001", "run-1-000002", "run-1-000003", "run-1-000004"],
            first.Events.Concat(second.Events).Concat(third.Events).Select(e => e.Id));
        Assert.Null(third.ContinuationToken);
        Assert.Equal(["run-1-000003", "run-1-000004"], since.Events.Select(e => e.Id));
        await Assert.ThrowsAsync<ArgumentException>(() => world.Log.ListAsync(new EventQuery("p1", null, null, 2, "%%%")));
    }

    private static WebhookSubscription Subscription(string id, params string[] patterns) => new()
    {
        Id = id,
        Url = "https://example.com/hook",
        EventTypes = patterns,
        Secret = "s",
        Created = T0,
    };

    private static OrchestEvent Event(long sequence, string kind, string? step = null) => new()
    {
        Id = $"run-1-{sequence:D6}",
        Type = "project:pipeline:interactive-session:pipeline-run:" + kind.Replace("run.", "", StringComparison.Ordinal).Replace('.', ':'),
        Kind = kind,
        Time = T0.AddSeconds(sequence),
        Project = "p1",
        Sequence = sequence,
        Run = "run-1",
        Step = step,
        Status = "FAILURE",
    };

    private static WebhookDelivery Record(OrchestEvent e, string status, params WebhookAttempt[] attempts) => new()
    {
        Subscription = "s1",
        EventId = e.Id,
        EventType = e.Type,
        EventTime = e.Time,
        Run = e.Run,
        Status = status,
        Created = T0,
        Attempts = attempts,
    };

    private sealed class World(TestStorage storage, EventTables tables, TableEventLog log, TableWebhookStore store) : IAsyncDisposable
    {
        public TestStorage Storage => storage;
        public TableEventLog Log { get; } = log;
        public TableWebhookStore Store { get; } = store;

        public static async Task<World> CreateAsync(AzuriteFixture azurite)
        {
            var storage = await TestStorage.CreateAsync(azurite);
            var tables = new EventTables(storage.Options);
            var store = new TableWebhookStore(tables);
            var options = new WebhookOptions { SubscriptionRefresh = TimeSpan.Zero };
            var clock = new FixedClock(T0);
            var log = new TableEventLog(tables, new WebhookSubscriptionCache(store, options, clock), new OutboxSignal(), clock);
            return new World(storage, tables, log, store);
        }

        public async ValueTask DisposeAsync()
        {
            await tables.DeleteAllAsync();
            await storage.DisposeAsync();
        }
    }

    private static async Task<string?> UnannouncedAsync(World world, string jobId) =>
        (await world.Storage.Account.Jobs.GetEntityAsync<global::Azure.Data.Tables.TableEntity>(jobId, JobRows.DefinitionKey)).Value.GetString(JobRows.Unannounced);

    /// <summary>A request's host dying between storing a job change and publishing its events.</summary>
    private sealed class DiesBeforePublishing : IJobEvents
    {
        public Task PublishAsync(JobEvent jobEvent, CancellationToken cancellationToken = default) =>
            throw new IOException("the host died before publishing");
    }

    /// <summary>The outbox queues deliveries due "now": the tests' now is T0, whatever the day they run on.</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
