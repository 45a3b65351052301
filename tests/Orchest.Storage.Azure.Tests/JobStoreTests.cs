using Orchest.Engine.Jobs;
using Orchest.Engine.Runs;
using Orchest.Storage.Azure.Blobs;
using Orchest.Storage.Azure.Definitions;
using Orchest.Storage.Azure.Tables;
using Orchest.Storage.Azure.Tests.Support;
using Orchest.Testing;

namespace Orchest.Storage.Azure.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class JobStoreTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task CreateAsync_Job_ReadsBackListedUnderItsProject()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var jobs = new TableJobStore(storage.Account);
        var older = Definition("p1") with { Created = T0 };
        var newer = Definition("p1") with { Created = T0.AddMinutes(1), Parameters = [new System.Text.Json.Nodes.JsonObject { ["pipeline_parameters"] = new System.Text.Json.Nodes.JsonObject { ["n"] = 1 } }] };
        await jobs.CreateAsync(older, State(JobStatus.Started));
        await jobs.CreateAsync(newer, State(JobStatus.Draft));
        await jobs.CreateAsync(Definition("p2"), State(JobStatus.Pending));

        var read = (await new TableJobStore(storage.OpenAnother()).GetAsync(newer.Id))!;

        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(newer with { ETag = read.Definition.ETag }), System.Text.Json.JsonSerializer.Serialize(read.Definition));
        Assert.Equal("""[{"pipeline_parameters":{"n":1}}]""", read.Definition.Parameters!.ToJsonString());
        Assert.Equal(JobStatus.Draft, read.State.Status);
        Assert.Equal([newer.Id, older.Id], (await jobs.ListAsync("p1")).Select(j => j.Definition.Id));
        Assert.Null(await jobs.GetAsync(Guid.NewGuid().ToString()));
    }

    [Fact]
    public async Task UpdateAsync_ChangedMeanwhile_ThrowsJobChanged()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var jobs = new TableJobStore(storage.Account);
        var definition = Definition("p1");
        await jobs.CreateAsync(definition, State(JobStatus.Started));
        var read = (await jobs.GetAsync(definition.Id))!.Definition;

        var updated = await jobs.UpdateAsync(read with { Name = "first", Revision = 2 });

        await Assert.ThrowsAsync<JobChangedException>(() => jobs.UpdateAsync(read with { Name = "second", Revision = 2 }));
        Assert.Equal("first", (await jobs.GetAsync(definition.Id))!.Definition.Name);
        Assert.NotEqual(read.ETag, updated.ETag);
    }

    [Fact]
    public async Task ApplyAsync_Tick_RecordsStateHistoryAndRunsAtOnce_TwiceChangesNothing()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var jobs = new TableJobStore(storage.Account);
        var definition = Definition("p1");
        await jobs.CreateAsync(definition, State(JobStatus.Started));
        var first = await jobs.ReserveTickAsync(definition.Id, Tick(1, commit: "aaa"));
        var again = await jobs.ReserveTickAsync(definition.Id, Tick(1, commit: "bbb"));
        var state = State(JobStatus.Started) with { Ticks = 1, Runs = 2 };
        var progress = new JobProgress(definition.Id, state, JobStatus.Started, first with { RunIds = ["r0", "r1"] });
        JobRunEntry[] runs = [new("r0", 1, 0), new("r1", 1, 1)];

        await jobs.ApplyAsync(progress, runs);
        await jobs.ApplyAsync(progress, runs);
        await jobs.ApplyAsync(new JobProgress(definition.Id, state with { Ticks = 2, Runs = 3 }, JobStatus.Started, Tick(2, "ccc") with { RunIds = ["r2"] }), [new("r2", 2, 0)]);

        // The first execution of a tick chose its commit; a second execution gets that choice.
        Assert.Equal(("aaa", "aaa"), (first.Commit, again.Commit));
        Assert.Equal((2L, 3L), ((await jobs.GetAsync(definition.Id))!.State.Ticks, (await jobs.GetAsync(definition.Id))!.State.Runs));
        Assert.Equal([2L, 1L], (await jobs.ListTicksAsync(definition.Id, 10)).Select(t => t.Sequence));
        Assert.Equal(["r2", "r0", "r1"], (await jobs.AllRunsAsync(definition.Id)).Select(r => r.RunId));
    }

    /// <summary>
    /// A job activity runs at least once: an execution can come after a later write of the job's orchestration (its
    /// host died after reporting, or a killed episode's result answered its call). The later state stays; what only
    /// the late execution had (a tick, its runs) is still recorded, and counted.
    /// </summary>
    [Fact]
    public async Task ApplyAsync_LateExecutionOfAnEarlierWrite_KeepsTheLaterState_RecordsAndCountsItsTickAndRuns()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var jobs = new TableJobStore(storage.Account);
        var definition = Definition("p1") with { Schedule = new JobSchedule() };
        await jobs.CreateAsync(definition, State(JobStatus.Pending));
        var tick = await jobs.ReserveTickAsync(definition.Id, Tick(1, commit: "aaa"));
        var ticked = new JobProgress(definition.Id, State(JobStatus.Started) with { Ticks = 1, Runs = 1, Record = 1 }, JobStatus.Pending, tick with { RunIds = ["r0"] });
        var ended = new JobProgress(definition.Id, State(JobStatus.Success) with { Ticks = 1, Runs = 1, Record = 2, Message = "all ran" }, JobStatus.Started);
        Assert.True(await jobs.ApplyAsync(ticked, [new("r0", 1, 0)]));
        Assert.True(await jobs.ApplyAsync(ended));

        var lateTick = await jobs.ReserveTickAsync(definition.Id, Tick(2, commit: "bbb"));
        var late = new JobProgress(definition.Id, State(JobStatus.Started) with { Ticks = 2, Runs = 2, Record = 1 }, JobStatus.Pending, lateTick with { RunIds = ["r1"] });
        Assert.False(await new TableJobStore(storage.OpenAnother()).ApplyAsync(ticked, [new("r0", 1, 0)]));
        Assert.False(await jobs.ApplyAsync(late, [new("r1", 2, 0)]));

        var read = (await jobs.GetAsync(definition.Id))!.State;
        Assert.Equal((JobStatus.Success, 2L, "all ran", 2L, 2L), (read.Status, read.Record, read.Message, read.Ticks, read.Runs));
        Assert.Equal([2L, 1L], (await jobs.ListTicksAsync(definition.Id, 10)).Select(t => t.Sequence));
        Assert.Equal(["r1", "r0"], (await jobs.AllRunsAsync(definition.Id)).Select(r => r.RunId));

        // The same write again (a retried activity) is written again, and so is the next one.
        Assert.True(await jobs.ApplyAsync(ended));
        Assert.True(await jobs.ApplyAsync(new JobProgress(definition.Id, State(JobStatus.Success) with { Record = 3 }, JobStatus.Success)));
    }

    /// <summary>Two executions writing the job's state at once: whatever their order, the later write is the one kept.</summary>
    [Fact]
    public async Task ApplyAsync_TwoWritesAtOnce_TheLaterOneIsKept()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var jobs = new TableJobStore(storage.Account);
        var other = new TableJobStore(storage.OpenAnother());
        var definition = Definition("p1");
        await jobs.CreateAsync(definition, State(JobStatus.Started));
        var written = new List<bool>();
        for (var record = 1; record <= 20; record += 2)
        {
            var earlier = new JobProgress(definition.Id, State(JobStatus.Started) with { Record = record, Message = $"write {record}" }, JobStatus.Started);
            var later = new JobProgress(definition.Id, State(JobStatus.Paused) with { Record = record + 1, Message = $"write {record + 1}" }, JobStatus.Started);
            var both = record % 4 == 1
                ? await Task.WhenAll(jobs.ApplyAsync(earlier), other.ApplyAsync(later))
                : await Task.WhenAll(other.ApplyAsync(later), jobs.ApplyAsync(earlier));
            written.AddRange(both);

            var read = (await jobs.GetAsync(definition.Id))!.State;
            Assert.Equal((JobStatus.Paused, record + 1L, $"write {record + 1}"), (read.Status, read.Record, read.Message));
        }

        Assert.Contains(true, written);
    }

    /// <summary>
    /// A job's counters are the store's: a push's tick (written from the state its handler read) and the job's
    /// orchestration (writing from its own copy, which never saw the push) each add their ticks, and neither's
    /// write takes the other's back; a request's write (a cancel) keeps them too.
    /// </summary>
    [Fact]
    public async Task ApplyAsync_TicksOfTwoWriters_AreAllCounted_WhateverCountsEachWriterCarries()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var jobs = new TableJobStore(storage.Account, new NoJobEvents());
        var definition = Definition("p1");
        await jobs.CreateAsync(definition, State(JobStatus.Started));
        var readByPush = (await jobs.GetAsync(definition.Id))!.State;

        // The orchestration's tick 1 (two runs, one missed tick skipped), then a push's tick 2 from the state read before.
        var scheduled = await jobs.ReserveTickAsync(definition.Id, Tick(1, "c1") with { Skipped = 1 });
        await jobs.ApplyAsync(new JobProgress(definition.Id, State(JobStatus.Started) with { Ticks = 1, Runs = 2, SkippedTicks = 1, Record = 1 }, JobStatus.Started,
            scheduled with { RunIds = ["s0", "s1"] }), [new("s0", 1, 0), new("s1", 1, 1)]);
        var pushed = await jobs.ReserveTickAsync(definition.Id, Tick(2, "c2") with { Key = "push:github:d-1", Kind = JobTickKind.Push });
        var pushWrite = new JobProgress(definition.Id, readByPush, JobStatus.Started, pushed with { RunIds = ["p0"] });
        Assert.False(await jobs.ApplyAsync(pushWrite, [new("p0", 2, 0)]));
        Assert.False(await new TableJobStore(storage.OpenAnother()).ApplyAsync(pushWrite, [new("p0", 2, 0)]));

        // The orchestration's pause, from its copy (one tick, two runs).
        await jobs.ApplyAsync(new JobProgress(definition.Id, State(JobStatus.Paused) with { Ticks = 1, Runs = 2, SkippedTicks = 1, Record = 2 }, JobStatus.Started));
        var paused = (await jobs.GetAsync(definition.Id))!.State;

        // Ticks of two executions at once are counted once.
        var third = await jobs.ReserveTickAsync(definition.Id, Tick(3, "c3") with { Key = "push:github:d-2", Kind = JobTickKind.Push });
        var thirdWrite = new JobProgress(definition.Id, paused with { Record = 0 }, JobStatus.Paused, third with { RunIds = ["q0", "q1", "q2"] });
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => new TableJobStore(storage.OpenAnother()).ApplyAsync(thirdWrite, [new("q0", 3, 0), new("q1", 3, 1), new("q2", 3, 2)])));
        await jobs.ApplyRequestedAsync(new JobProgress(definition.Id, State(JobStatus.Aborted) with { Ticks = 0, Runs = 0, Record = 2 }, JobStatus.Paused));

        var read = (await jobs.GetAsync(definition.Id))!.State;
        Assert.Equal((JobStatus.Paused, 2L, 3L, 1L), (paused.Status, paused.Ticks, paused.Runs, paused.SkippedTicks));
        Assert.Equal((JobStatus.Aborted, 3L, 6L, 1L), (read.Status, read.Ticks, read.Runs, read.SkippedTicks));
        Assert.Equal(6, (await jobs.AllRunsAsync(definition.Id)).Count);
    }

    /// <summary>
    /// Executions of one push tick racing each other, tick after tick: each tick goes into the counters once. A writer
    /// that read the tick's row as not counted yet must fail on the state row another writer changed meanwhile.
    /// </summary>
    [Fact]
    public async Task ApplyAsync_ExecutionsOfOneTickRacing_CountItOnce_EveryTime()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var jobs = new TableJobStore(storage.Account);
        var definition = Definition("p1");
        await jobs.CreateAsync(definition, State(JobStatus.Started));
        var writers = Enumerable.Range(0, 6).Select(_ => new TableJobStore(storage.OpenAnother())).ToList();
        const int Ticks = 12;

        for (var sequence = 1; sequence <= Ticks; sequence++)
        {
            var read = (await jobs.GetAsync(definition.Id))!.State;
            var tick = await jobs.ReserveTickAsync(definition.Id, Tick(sequence, "c" + sequence) with { Key = $"push:github:d-{sequence}", Kind = JobTickKind.Push });
            var write = new JobProgress(definition.Id, read, JobStatus.Started, tick with { RunIds = [$"r{sequence}a", $"r{sequence}b"] });
            await Task.WhenAll(writers.Select(w => w.ApplyAsync(write, [new($"r{sequence}a", sequence, 0), new($"r{sequence}b", sequence, 1)])));
        }

        var state = (await jobs.GetAsync(definition.Id))!.State;
        Assert.Equal((Ticks * 1L, Ticks * 2L), (state.Ticks, state.Runs));
        Assert.Equal(Ticks * 2, (await jobs.AllRunsAsync(definition.Id)).Count);
    }

    /// <summary>
    /// A record of skipped ticks (the orchestration's, not reserved before) whose sequence a push's tick took
    /// meanwhile takes the next one: both stay in the history, counted once each, also when recorded again.
    /// </summary>
    [Fact]
    public async Task ApplyAsync_SkippedTicksWhoseSequenceAPushTook_TakeTheNextOne()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var jobs = new TableJobStore(storage.Account);
        var definition = Definition("p1");
        await jobs.CreateAsync(definition, State(JobStatus.Started));
        var pushed = await jobs.ReserveTickAsync(definition.Id, Tick(1, "c1") with { Key = "push:github:d-1", Kind = JobTickKind.Push });
        await jobs.ApplyAsync(new JobProgress(definition.Id, State(JobStatus.Started), JobStatus.Started, pushed with { RunIds = ["p0"] }), [new("p0", 1, 0)]);
        var skipped = new JobProgress(definition.Id, State(JobStatus.Started) with { Ticks = 1, SkippedTicks = 4, Record = 1 }, JobStatus.Started,
            Tick(1, "c1") with { Key = "skipped:2026-12-05T10:00:04Z", Kind = JobTickKind.Skipped, Skipped = 4 });

        await jobs.ApplyAsync(skipped);
        await new TableJobStore(storage.OpenAnother()).ApplyAsync(skipped);

        var history = await jobs.ListTicksAsync(definition.Id, 10);
        Assert.Equal([(2L, JobTickKind.Skipped, 4L), (1L, JobTickKind.Push, 0L)], history.Select(t => (t.Sequence, t.Kind, t.Skipped)));
        Assert.Equal(["p0"], history[1].RunIds);
        var read = (await jobs.GetAsync(definition.Id))!.State;
        Assert.Equal((2L, 1L, 4L), (read.Ticks, read.Runs, read.SkippedTicks));
    }

    [Fact]
    public async Task FindTickAsync_ByKey_AnywhereInTheHistory_NullForAnUnknownKey()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var jobs = new TableJobStore(storage.Account);
        var definition = Definition("p1");
        await jobs.CreateAsync(definition, State(JobStatus.Started));
        var pushed = Tick(3, "c3") with { Key = "push:github:d-1", Kind = JobTickKind.Push, RunIds = ["r3"] };
        for (var sequence = 1; sequence <= 40; sequence++)
        {
            var tick = sequence == 3 ? pushed : Tick(sequence, "c" + sequence);
            await jobs.ApplyAsync(new JobProgress(definition.Id, State(JobStatus.Started) with { Ticks = sequence }, JobStatus.Started, tick));
        }

        var found = await jobs.FindTickAsync(definition.Id, "push:github:d-1");

        Assert.Equal((3L, "c3", JobTickKind.Push), (found?.Sequence, found?.Commit, found?.Kind));
        Assert.Equal(["r3"], found!.RunIds);
        Assert.Equal(40L, (await jobs.FindTickAsync(definition.Id, "at:40"))?.Sequence);
        Assert.Null(await jobs.FindTickAsync(definition.Id, "push:github:d-2"));
        Assert.Null(await jobs.FindTickAsync(Guid.NewGuid().ToString(), "at:1"));
    }

    [Fact]
    public async Task ListRunsAsync_Pages_NewestTickFirstInSetOrder()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var jobs = new TableJobStore(storage.Account);
        var definition = Definition("p1");
        await jobs.CreateAsync(definition, State(JobStatus.Started));
        for (var tick = 1; tick <= 3; tick++)
        {
            var runs = Enumerable.Range(0, 2).Select(i => new JobRunEntry($"t{tick}-{i}", tick, i)).ToList();
            await jobs.ApplyAsync(new JobProgress(definition.Id, State(JobStatus.Started), JobStatus.Started, Tick(tick, "c")), runs);
        }

        await jobs.MarkEndedAsync(definition.Id, [new JobRunEntry("t1-0", 1, 0, ExecutionStatus.Failure)]);
        var seen = new List<JobRunEntry>();
        string? token = null;
        do
        {
            var (page, next) = await jobs.ListRunsAsync(definition.Id, 4, token);
            seen.AddRange(page);
            token = next;
        }
        while (token is not null);

        Assert.Equal(["t3-0", "t3-1", "t2-0", "t2-1", "t1-0", "t1-1"], seen.Select(r => r.RunId));
        Assert.Equal(ExecutionStatus.Failure, seen.Single(r => r.RunId == "t1-0").Final);
        await Assert.ThrowsAsync<ArgumentException>(() => jobs.ListRunsAsync(definition.Id, 4, "bm90LWEtcm93"));
        await jobs.RemoveRunAsync(definition.Id, seen[0]);
        Assert.Equal(5, (await jobs.AllRunsAsync(definition.Id)).Count);
    }

    [Fact]
    public async Task JobSecrets_AreSealedAndReadBack()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var secrets = new JobSecretBlobs(storage.Account);

        await secrets.WriteAsync("job-1", new Dictionary<string, string> { ["TOKEN"] = "very-secret-value" });

        Assert.Equal("very-secret-value", (await new JobSecretBlobs(storage.OpenAnother()).ReadAsync("job-1"))["TOKEN"]);
        Assert.Empty(await secrets.ReadAsync("job-2"));
        var raw = await storage.Account.State.GetBlobClient("jobs/job-1/environment.json").DownloadContentAsync();
        Assert.DoesNotContain("very-secret-value", raw.Value.Content.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunDeletion_EndedRun_DeletesRecordsLogsDefinitionAndUncommittedSets_KeepsTheLatest()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var projection = new TableRunProjection(storage.Account);
        var artifacts = new BlobArtifactStore(storage.Account);
        var definitions = new RunDefinitionBlobs(storage.Account);
        var builder = TestPlans.Chain("A", "B");
        var plan = TestPlans.Plan(builder);
        var run = new Progress(plan.Snapshot);
        var (a, b) = (builder.StepUuid("A"), builder.StepUuid("B"));
        await definitions.WriteAsync(plan.Definition);
        await projection.CreateAsync(plan.Snapshot, plan.Events);
        await projection.ApplyAsync(run.Start());
        await projection.ApplyAsync(run.Succeed(a));
        await projection.ApplyAsync(run.Succeed(b));
        var (keyA, keyB) = (new Engine.Ports.StepKey("p1", plan.Snapshot.Run.PipelineUuid, a), new Engine.Ports.StepKey("p1", plan.Snapshot.Run.PipelineUuid, b));
        foreach (var (key, set) in new[] { (keyA, $"{run.RunId}-1"), (keyA, $"{run.RunId}-2"), (keyB, $"{run.RunId}-1") })
        {
            await storage.Account.Container.GetBlobClient(BlobArtifactStore.SetPrefix(key, set) + "data").UploadAsync(BinaryData.FromString("x"));
        }

        await artifacts.CommitLatestAsync(keyA, $"{run.RunId}-2");
        await storage.Account.State.GetBlobClient(BlobArtifactStore.LogBlobName(run.RunId, a)).UploadAsync(BinaryData.FromString("log"));

        await new RunDeletion(storage.Account, projection).DeleteAsync(run.RunId);

        Assert.Null(await projection.GetAsync(run.RunId));
        Assert.Empty(await projection.GetEventsAsync(run.RunId));
        Assert.Null(await definitions.ReadAsync(run.RunId));
        Assert.False(await storage.Account.State.GetBlobClient(BlobArtifactStore.LogBlobName(run.RunId, a)).ExistsAsync());
        Assert.Empty(await storage.Account.RunIndex.QueryAsync<global::Azure.Data.Tables.TableEntity>().ToListAsync());
        Assert.Equal($"{run.RunId}-2", await artifacts.GetLatestOutputSetAsync(keyA));
        Assert.False(await artifacts.HasOutputsAsync(keyA, $"{run.RunId}-1"));
        Assert.False(await artifacts.HasOutputsAsync(keyB, $"{run.RunId}-1"));
    }

    private static JobDefinition Definition(string project) => new()
    {
        Id = Guid.NewGuid().ToString(),
        ProjectId = project,
        Name = "nightly",
        PipelinePath = "main.orchest",
        Schedule = new JobSchedule { Cron = "0 3 * * *", TimeZone = "Europe/Berlin", CatchUp = CatchUpPolicy.All },
        EnvironmentNames = ["TOKEN"],
        MaxRetainedRuns = 5,
        Created = T0,
    };

    private static JobState State(JobStatus status) => new() { Status = status, Updated = T0 };

    private static JobTick Tick(long sequence, string commit) => new()
    {
        Sequence = sequence,
        Key = $"at:{sequence}",
        Kind = JobTickKind.Scheduled,
        ScheduledFor = T0.AddSeconds(sequence),
        Started = T0.AddSeconds(sequence),
        Commit = commit,
    };

    /// <summary>A publisher that takes every job event (the test is about what the store writes, not what it publishes).</summary>
    private sealed class NoJobEvents : Orchest.Engine.Events.IJobEvents
    {
        public Task PublishAsync(Orchest.Engine.Events.JobEvent jobEvent, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
