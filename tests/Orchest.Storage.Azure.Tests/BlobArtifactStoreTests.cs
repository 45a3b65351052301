using System.Net;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;
using Orchest.Storage.Azure.Blobs;
using Orchest.Storage.Azure.Tables;
using Orchest.Storage.Azure.Tests.Support;
using Orchest.Testing;

namespace Orchest.Storage.Azure.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class BlobArtifactStoreTests(AzuriteFixture azurite)
{
    private static readonly StepKey Key = new("p1", "pipe-1", "step-1");

    [Fact]
    public async Task PrepareOutputSetAsync_StepWritesThroughTheSas_ChildReadsAndListsThroughItsReadSas()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var store = new BlobArtifactStore(storage.Account);
        var output = await store.PrepareOutputSetAsync(Key, "run-1-1");

        Assert.Equal("blob", output.Kind);
        Assert.EndsWith("/", output.Prefix, StringComparison.Ordinal);
        Assert.DoesNotContain("sig=", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, await SasHttp.PutAsync(output, "unnamed.data", "[1, 2]"));
        Assert.Equal(HttpStatusCode.Created, await SasHttp.PutAsync(output, "unnamed.meta.json", SasHttp.Meta(null, "JSON", 6)));
        Assert.Equal(HttpStatusCode.Created, await SasHttp.PutAsync(output, "named-my%20data.data", "\"x\""));
        Assert.Equal(HttpStatusCode.Created, await SasHttp.PutAsync(output, "named-my%20data.meta.json", SasHttp.Meta("my data", "JSON", 3)));
        Assert.Equal(HttpStatusCode.Created, await SasHttp.PutAsync(output, "named-half.data", "killed before its metadata"));
        await store.CommitLatestAsync(Key, "run-1-1");

        var input = store.LocateOutputSet(Key, "run-1-1");
        Assert.Equal(output.ContainerUrl, input.ContainerUrl);
        Assert.Equal(output.Prefix, input.Prefix);
        Assert.Equal((HttpStatusCode.OK, "[1, 2]"), await SasHttp.GetAsync(input, "unnamed.data"));
        Assert.Equal(
            ["named-half.data", "named-my%20data.data", "named-my%20data.meta.json", "unnamed.data", "unnamed.meta.json"],
            await SasHttp.ListAsync(input));
        Assert.Equal(HttpStatusCode.Forbidden, await SasHttp.PutAsync(input, "unnamed.data", "overwritten by a reader"));

        var outputs = await store.ListOutputsAsync(Key, "run-1-1");
        Assert.Equal([("my data", "JSON", 3L), (null, "JSON", 6L)], outputs.Select(o => (o.Name, o.Serialization, o.Size)));
        Assert.All(outputs, o => Assert.Equal("application/json", o.ContentType));
        await using var payload = await store.OpenOutputAsync(Key, "run-1-1", "my data");
        Assert.Equal("\"x\"", await new StreamReader(payload!).ReadToEndAsync());
        Assert.Null(await store.OpenOutputAsync(Key, "run-1-1", "missing"));
    }

    [Fact]
    public async Task CommitLatestAsync_ThreeCommits_LatestIsTheNewestAndOlderSetsBeyondRetentionArePruned()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var store = new BlobArtifactStore(storage.Account, retainedOutputSets: 1);
        Assert.Null(await store.GetLatestOutputSetAsync(Key));
        foreach (var set in new[] { "run-1-1", "run-2-1", "run-3-1", "run-4-1" })
        {
            var location = await store.PrepareOutputSetAsync(Key, set);
            await SasHttp.PutAsync(location, "unnamed.data", set);
        }

        await store.CommitLatestAsync(Key, "run-1-1");
        await store.CommitLatestAsync(Key, "run-2-1");
        await store.CommitLatestAsync(Key, "run-3-1");
        await store.DiscardOutputSetAsync(Key, "run-4-1");

        Assert.Equal("run-3-1", await store.GetLatestOutputSetAsync(Key));
        Assert.Empty(await SasHttp.ListAsync(store.LocateOutputSet(Key, "run-1-1")));
        Assert.Equal(["unnamed.data"], await SasHttp.ListAsync(store.LocateOutputSet(Key, "run-2-1")));
        Assert.Equal(["unnamed.data"], await SasHttp.ListAsync(store.LocateOutputSet(Key, "run-3-1")));
        Assert.Empty(await SasHttp.ListAsync(store.LocateOutputSet(Key, "run-4-1")));
    }

    /// <summary>
    /// Runs of one pipeline at once (a job's parameter grid, cron ticks that overlap) commit the same steps: a set
    /// beyond the retention stays while its run goes, since that run's later steps (a child, a step run again after
    /// its host died) still read it; it goes with a later commit once its run ended. Found by the chaos check: a
    /// cron job's run failed because its step's input had been pruned by two later ticks' commits.
    /// </summary>
    [Fact]
    public async Task CommitLatestAsync_SetsOfRunsStillGoing_AreNotPrunedUntilTheirRunEnded()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var runs = new TableRunProjection(storage.Account);
        var store = new BlobArtifactStore(storage.Account, retainedOutputSets: 1, runs: runs);
        var progress = await StartRunsAsync(runs, 5);

        await runs.ApplyAsync(progress[1].Cancel()); // the second run ended; the others go
        var sets = progress.Select(p => p.RunId + "-1").ToList();
        await WriteSetsAsync(store, sets);

        foreach (var set in sets.Take(4))
        {
            await store.CommitLatestAsync(Key, set);
        }

        // Beyond the retention (the latest and one more) are the first two: the first run still goes, so neither goes.
        Assert.Equal(["unnamed.data"], await SasHttp.ListAsync(store.LocateOutputSet(Key, sets[0])));
        Assert.Equal(["unnamed.data"], await SasHttp.ListAsync(store.LocateOutputSet(Key, sets[1])));

        // Once the first run ended, the next commit prunes both; the third run's set stays while it goes.
        await runs.ApplyAsync(progress[0].Cancel());
        await store.CommitLatestAsync(Key, sets[4]);
        Assert.Empty(await SasHttp.ListAsync(store.LocateOutputSet(Key, sets[0])));
        Assert.Empty(await SasHttp.ListAsync(store.LocateOutputSet(Key, sets[1])));
        Assert.Equal(["unnamed.data"], await SasHttp.ListAsync(store.LocateOutputSet(Key, sets[2])));
        Assert.Equal(sets[4], await store.GetLatestOutputSetAsync(Key));
    }

    /// <summary>
    /// A run whose step reads another run's latest set (a selection run: the parent is not in it) keeps that set
    /// while it goes, however many later commits of that step other runs make; once it ended, the next commit
    /// prunes the set and forgets the pin. A run reading its own set pins nothing.
    /// </summary>
    [Fact]
    public async Task CommitLatestAsync_SetsARunStillGoingReads_AreNotPrunedUntilItEnded()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var runs = new TableRunProjection(storage.Account);
        var store = new BlobArtifactStore(storage.Account, retainedOutputSets: 1, runs: runs);
        var progress = await StartRunsAsync(runs, 5);

        var sets = progress.Select(p => p.RunId + "-1").ToList();
        await WriteSetsAsync(store, sets.Take(4));

        await store.CommitLatestAsync(Key, sets[0]);
        await runs.ApplyAsync(progress[0].Cancel());
        var reader = progress[4].RunId;
        Assert.Equal(sets[0], await store.GetLatestOutputSetAsync(Key, reader));
        Assert.Equal(sets[0], await store.GetLatestOutputSetAsync(Key, reader));

        // Three later commits by runs that then ended: the set the reader reads stays, the ones after it too.
        foreach (var (set, run) in sets.Skip(1).Zip(progress.Skip(1)).Take(3))
        {
            await store.CommitLatestAsync(Key, set);
            await runs.ApplyAsync(run.Cancel());
        }

        Assert.Equal(["unnamed.data"], await SasHttp.ListAsync(store.LocateOutputSet(Key, sets[0])));
        var history = await CommittedAsync(storage);
        Assert.Equal($"{sets[0]}\n{sets[1]}\n{sets[2]}\n{sets[3]}\npin {sets[0]} {reader}\n", history);

        // The reader ended: the next commit prunes what is beyond the retention, and the pin with it.
        await runs.ApplyAsync(progress[4].Cancel());
        await store.CommitLatestAsync(Key, sets[3]);
        Assert.Empty(await SasHttp.ListAsync(store.LocateOutputSet(Key, sets[0])));
        Assert.Empty(await SasHttp.ListAsync(store.LocateOutputSet(Key, sets[1])));
        history = await CommittedAsync(storage);
        Assert.Equal($"{sets[2]}\n{sets[3]}\n", history);
        Assert.Equal(sets[3], await store.GetLatestOutputSetAsync(Key, progress[3].RunId));
    }

    /// <summary>
    /// A set read between its commit's two writes (the latest pointer, then the list) is pinned before it is listed;
    /// another commit in between keeps that pin.
    /// </summary>
    [Fact]
    public async Task GetLatestOutputSetAsync_SetCommittedButNotListedYet_IsPinned_AndTheNextCommitKeepsThePin()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var runs = new TableRunProjection(storage.Account);
        var store = new BlobArtifactStore(storage.Account, retainedOutputSets: 1, runs: runs);
        var progress = await StartRunsAsync(runs, 3);

        var (listed, pending, reader) = (progress[0].RunId + "-1", progress[1].RunId + "-1", progress[2].RunId);
        await WriteSetsAsync(store, [listed, pending]);

        await store.CommitLatestAsync(Key, listed);
        var latest = storage.Account.Container.GetBlobClient(BlobArtifactStore.StepPrefix(Key) + BlobArtifactStore.LatestBlob);
        await latest.UploadAsync(BinaryData.FromString(pending + "\n"), overwrite: true);

        Assert.Equal(pending, await store.GetLatestOutputSetAsync(Key, reader));
        await store.CommitLatestAsync(Key, listed);

        var history = await CommittedAsync(storage);
        Assert.Equal($"{listed}\npin {pending} {reader}\n", history);
    }

    [Fact]
    public async Task WithOutputsAsync_SetsOfOnePipeline_AreTheOnesHoldingSomethingWhateverTheListingsPages()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var writer = new BlobArtifactStore(storage.Account);
        async Task WriteAsync(string pipeline, string step, string set, params string[] names)
        {
            var output = await writer.PrepareOutputSetAsync(new StepKey("p1", pipeline, step), set);
            foreach (var name in names)
            {
                Assert.Equal(HttpStatusCode.Created, await SasHttp.PutAsync(output, name, "[1]"));
            }
        }

        await WriteAsync("pipe-w", "s1", "run-1-1", "unnamed.data");
        await WriteAsync("pipe-w", "s3", "run-1-1", "unnamed.data");
        await WriteAsync("pipe-w", "s3", "run-1-10", "unnamed.data");
        await WriteAsync("pipe-w", "s4", "run-1-10", "unnamed.data");
        await WriteAsync("pipe-w", "s5", "run-1-1", "a.data", "b.data", "c.data");
        await WriteAsync("pipe-x", "s2", "run-1-1", "unnamed.data");
        await writer.CommitLatestAsync(new StepKey("p1", "pipe-w", "s6"), "run-0-1");
        var asked = new[] { "s1", "s2", "s3", "s4", "s5", "s6" }.Select(s => new StepCommit(s, "run-1-1")).ToList();

        // One listing of the whole pipeline; with pages of 2 blobs it stops after one page and lists the sets it
        // did not get past one by one. Sets named like another set's start (run-1-1, run-1-10), empty sets beside
        // a step's pointer files, and the same step of another pipeline do not count.
        foreach (var store in new[] { writer, new BlobArtifactStore(storage.Account) { ListingPageSize = 2 } })
        {
            var found = await store.WithOutputsAsync("p1", "pipe-w", asked);
            Assert.Equal(["s1", "s3", "s5"], found.Select(c => c.StepUuid).Order(StringComparer.Ordinal));
            Assert.All(found, c => Assert.Equal("run-1-1", c.OutputSet));
        }

        // Below the threshold each set is listed by itself, with the same answers.
        Assert.Equal([new StepCommit("s1", "run-1-1")], await writer.WithOutputsAsync("p1", "pipe-w", asked.Take(2).ToList()));
        Assert.Empty(await writer.WithOutputsAsync("p1", "pipe-w", []));
    }

    [Fact]
    public async Task OpenLogAsync_WhileTheStepWrites_ReadersSeeTheLinesAndLaterAttemptsAppend()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var store = new BlobArtifactStore(storage.Account);
        var first = new StepLogTarget("run-1", "p1", "pipe-1", "step-1", "Step one", 1);

        var log = await store.OpenLogAsync(first);

        // The blob is made as the log opens (beside the step's start), empty until the first lines come.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await store.LogExistsAsync("run-1", "step-1") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.True(await store.LogExistsAsync("run-1", "step-1"));
        Assert.Equal("", await ReadAsync(store, "run-1", "step-1"));
        await log.WriteLineAsync("line 1");
        await log.WriteLineAsync("line 2");
        var text = await WaitForLogAsync(store, "run-1", "step-1", "line 2");
        Assert.Equal("line 1\nline 2\n", text);
        Assert.DoesNotContain("?", log.Location, StringComparison.Ordinal);
        await log.WriteLineAsync("line 3");
        await log.DisposeAsync();
        Assert.Equal(["line 2", "line 3"], log.Tail(2));

        await using (var second = await store.OpenLogAsync(first with { Attempt = 2 }))
        {
            await second.WriteLineAsync("retried");
        }

        Assert.Equal("line 1\nline 2\nline 3\n--- attempt 2 ---\nretried\n", await ReadAsync(store, "run-1", "step-1"));
        Assert.Equal("line 3\n--- attempt 2 ---\nretried\n", await ReadAsync(store, "run-1", "step-1", offset: 14));
        Assert.Equal("", await ReadAsync(store, "run-1", "step-1", offset: 1000));
        Assert.True(await store.LogExistsAsync("run-1", "step-1"));
        Assert.False(await store.LogExistsAsync("run-1", "step-2"));
        Assert.Null(await store.ReadLogAsync("run-1", "step-2"));
    }

    [Fact]
    public async Task OpenLogAsync_DisposedWhileAnAppendIsInFlight_KeepsEveryLineOnce()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var store = new BlobArtifactStore(storage.Account);

        // Past 256 KiB the flusher appends at once; the step ends (the log is disposed) while that append is on
        // its way. Several steps, as the moment the dispose lands varies.
        var lines = Enumerable.Range(0, 5000).Select(i => $"line {i:00000} {new string('x', 60)}").ToList();
        var expected = string.Concat(lines.Select(l => l + "\n"));
        for (var step = 0; step < 8; step++)
        {
            var log = await store.OpenLogAsync(new StepLogTarget("run-f", "p1", "pipe-1", $"step-{step}", "Chatty", 1));
            foreach (var line in lines)
            {
                await log.WriteLineAsync(line);
            }

            await Task.Delay(step);
            await log.DisposeAsync();
            var text = await ReadAsync(store, "run-f", $"step-{step}");
            Assert.True(text == expected, $"step {step}: {text.Length} characters stored for {expected.Length} written");
        }
    }

    [Fact]
    public async Task OpenLogAsync_LinesWithTerminalEscapes_AreStoredWithout()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var store = new BlobArtifactStore(storage.Account);
        var target = new StepLogTarget("run-1", "p1", "pipe-1", "step-1", "Colours", 1);

        await using (var log = await store.OpenLogAsync(target))
        {
            await log.WriteLineAsync("\u001b[31mred\u001b[0m and \u001b]0;title\u0007plain");
        }

        Assert.Equal("red and plain\n", await ReadAsync(store, "run-1", "step-1"));
    }

    [Fact]
    public async Task PublishStepFilesAsync_ExecutedNotebookLeftLocally_IsUploadedAndRemovedLocally()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var store = new BlobArtifactStore(storage.Account);
        var target = new StepLogTarget("run-1", "p1", "pipe-1", "step-1", "Notebook", 1);
        var path = store.ExecutedNotebookPath(target);
        await File.WriteAllTextAsync(path, "{\"cells\": []}");

        await store.PublishStepFilesAsync(target);

        Assert.False(File.Exists(path));
        await using var notebook = await store.OpenExecutedNotebookAsync("run-1", "step-1");
        Assert.Equal("{\"cells\": []}", await new StreamReader(notebook!).ReadToEndAsync());
        await store.PublishStepFilesAsync(target with { StepUuid = "step-2" }); // nothing to publish: no error
    }

    private static async Task<string> ReadAsync(BlobArtifactStore store, string runId, string stepUuid, long offset = 0)
    {
        // A log whose blob is not made yet (or could not be) reads empty.
        await using var stream = await store.ReadLogAsync(runId, stepUuid, offset);
        return stream is null ? "" : await new StreamReader(stream).ReadToEndAsync();
    }

    private static async Task<string> WaitForLogAsync(BlobArtifactStore store, string runId, string stepUuid, string text)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        string current;
        while (!(current = await ReadAsync(store, runId, stepUuid)).Contains(text, StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        return current;
    }

    /// <summary>Starts <paramref name="count"/> one-step runs in the projection (each goes until it is cancelled).</summary>
    private static async Task<List<Progress>> StartRunsAsync(TableRunProjection runs, int count)
    {
        var progress = Enumerable.Range(0, count).Select(_ => new Progress(TestPlans.Plan(TestPlans.Chain("A")).Snapshot)).ToList();
        foreach (var run in progress)
        {
            await runs.ApplyAsync(run.Start());
        }

        return progress;
    }

    /// <summary>Writes one blob (its own name as content) into each output set of the test's step.</summary>
    private static async Task WriteSetsAsync(BlobArtifactStore store, IEnumerable<string> sets)
    {
        foreach (var set in sets)
        {
            await SasHttp.PutAsync(await store.PrepareOutputSetAsync(Key, set), "unnamed.data", set);
        }
    }

    /// <summary>The test step's COMMITTED list as stored.</summary>
    private static async Task<string> CommittedAsync(TestStorage storage) =>
        (await storage.Account.Container.GetBlobClient(BlobArtifactStore.StepPrefix(Key) + BlobArtifactStore.HistoryBlob).DownloadContentAsync()).Value.Content.ToString();
}
