using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging.Abstractions;
using Orchest.Engine.Embedded;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;
using Orchest.Testing;

namespace Orchest.Durable.Tests;

public sealed class RunProjectionEntityTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
    private readonly RecordingProjection _projection = new();
    private readonly RecordingEvents _events = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("orchest-entity-").FullName;
    private readonly EntityCalls _entity;
    private readonly LocalArtifactStore _artifacts;

    public RunProjectionEntityTests()
    {
        _artifacts = new LocalArtifactStore(_folder);
        _entity = new EntityCalls(
            new RunProjectionEntity(_projection, _artifacts, NullLogger<RunProjectionEntity>.Instance, _events),
            new EntityInstanceId(RunProjectionEntity.Name, "run-1"));
    }

    [Fact]
    public async Task Apply_InOrderAndRedelivered_AppliesEachOnceAndDeletesItselfAfterTheFinal()
    {
        await _entity.CallAsync(RunProjectionEntity.ApplyOperation, Progress(1));
        await _entity.CallAsync(RunProjectionEntity.ApplyOperation, Progress(2));
        await _entity.CallAsync(RunProjectionEntity.ApplyOperation, Progress(2));
        Assert.Equal(new ProjectionState(2), _entity.StateValue);

        await _entity.CallAsync(RunProjectionEntity.ApplyOperation, Progress(3, final: true));

        Assert.Equal([1, 2, 3], _projection.Applied);
        Assert.Null(_entity.StateValue);
        Assert.Empty(_entity.Signals);
    }

    [Fact]
    public async Task Apply_StorageUnavailable_KeepsProgressInOrderAndRetriesItselfWithBackoff()
    {
        _projection.Failing = 3;

        await _entity.CallAsync(RunProjectionEntity.ApplyOperation, Progress(1));
        await _entity.CallAsync(RunProjectionEntity.ApplyOperation, Progress(2));

        // Nothing lost, nothing applied out of order, one retry signal outstanding.
        var kept = Assert.IsType<ProjectionState>(_entity.StateValue);
        Assert.Equal([1, 2], kept.Pending!.Select(p => p.Sequence));
        var signal = Assert.Single(_entity.Signals);
        Assert.Equal(RunProjectionEntity.RetryOperation, signal.Operation);
        Assert.NotNull(signal.At);

        await _entity.CallAsync(RunProjectionEntity.RetryOperation);
        Assert.Equal(2, _entity.Signals.Count);
        Assert.True(_entity.Signals[1].At > signal.At, "the second retry waits longer");

        await _entity.CallAsync(RunProjectionEntity.RetryOperation);
        await _entity.CallAsync(RunProjectionEntity.ApplyOperation, Progress(3));

        Assert.Equal([1, 2, 3], _projection.Applied);
        Assert.Equal(new ProjectionState(3), _entity.StateValue);
    }

    [Fact]
    public async Task Apply_EachProgress_PublishesItsEventsAfterWritingItOnceAndInOrder()
    {
        await _entity.CallAsync(RunProjectionEntity.ApplyOperation, Progress(1));
        await _entity.CallAsync(RunProjectionEntity.ApplyOperation, Progress(1));
        await _entity.CallAsync(RunProjectionEntity.ApplyOperation, Progress(2, final: true));

        Assert.Equal([1, 2], _events.Published);
    }

    [Fact]
    public async Task Apply_PublishingFails_KeepsTheProgressAndWritesAndPublishesItAgainBeforeAnythingNewer()
    {
        _events.Failing = 1;

        await _entity.CallAsync(RunProjectionEntity.ApplyOperation, Progress(1));
        Assert.Empty(_events.Published);
        Assert.Equal(RunProjectionEntity.RetryOperation, Assert.Single(_entity.Signals).Operation);

        await _entity.CallAsync(RunProjectionEntity.ApplyOperation, Progress(2));

        // Written twice (idempotent), published once each, in order: no event lost, none before its transition.
        Assert.Equal([1, 1, 2], _projection.Applied);
        Assert.Equal([1, 2], _events.Published);
    }

    [Fact]
    public async Task Apply_NumberTakenByAnotherExecution_AppliesThisExecutionsCopyFirstThenItsNext()
    {
        // A split brain: the losing execution's progress 2 arrives first, the winner's 2 is taken for a repeat.
        await _entity.CallAsync(RunProjectionEntity.ApplyOperation, Progress(1, digest: "one"));
        await _entity.CallAsync(RunProjectionEntity.ApplyOperation, Progress(2, digest: "loser-two"));
        await _entity.CallAsync(RunProjectionEntity.ApplyOperation, Progress(2, digest: "two", previous: Progress(1, digest: "one")));
        await _entity.CallAsync(RunProjectionEntity.ApplyOperation, Progress(3, digest: "three", previous: Progress(2, digest: "two")));

        Assert.Equal([1, 2, 2, 3], _projection.Applied);
        Assert.Equal(["one", "loser-two", "two", "three"], _projection.AppliedDigests);
        Assert.Equal(new ProjectionState(3, Digest: "three", Repaired: true), _entity.StateValue);
    }

    [Fact]
    public async Task Apply_FinalWithoutARepair_PointsOnlyItsOwnCommitsSoAnotherRunsNewerOutputStaysLatest()
    {
        var (x, y) = (Commit("x", "run-1-1"), Commit("y", "run-1-1"));
        await _entity.CallAsync(RunProjectionEntity.ApplyOperation, Progress(1, digest: "one", commits: [x]));
        await _artifacts.CommitLatestAsync(Key("x"), Output("x", "run-2-1"));  // another run of the pipeline, later

        await _entity.CallAsync(RunProjectionEntity.ApplyOperation, Progress(2, final: true, digest: "two", previous: Progress(1, digest: "one"), commits: [y], all: [x, y]));

        Assert.Equal("run-2-1", await _artifacts.GetLatestOutputSetAsync(Key("x")));
        Assert.Equal("run-1-1", await _artifacts.GetLatestOutputSetAsync(Key("y")));
    }

    [Fact]
    public async Task Apply_FinalAfterTwoShadowedProgressesInARow_PointsEveryCommitOfTheRun()
    {
        // The losing execution's 1 and 2 arrive first; the winner's 1 (with x's commit) and 2 are taken for repeats.
        var (x, y, z) = (Commit("x", "run-1-1"), Commit("y", "run-1-1"), Commit("z", "run-1-1"));
        await _entity.CallAsync(RunProjectionEntity.ApplyOperation, Progress(1, digest: "loser-one"));
        await _entity.CallAsync(RunProjectionEntity.ApplyOperation, Progress(2, digest: "loser-two", previous: Progress(1, digest: "loser-one")));
        await _entity.CallAsync(RunProjectionEntity.ApplyOperation, Progress(1, digest: "one", commits: [x]));
        await _entity.CallAsync(RunProjectionEntity.ApplyOperation, Progress(2, digest: "two", previous: Progress(1, digest: "one", commits: [x]), commits: [y]));
        Assert.Null(await _artifacts.GetLatestOutputSetAsync(Key("x")));

        await _entity.CallAsync(RunProjectionEntity.ApplyOperation, Progress(3, final: true, digest: "three", previous: Progress(2, digest: "two", commits: [y]), commits: [z], all: [x, y, z]));

        Assert.Equal(["loser-one", "loser-two", "two", "three"], _projection.AppliedDigests);
        foreach (var step in new[] { "x", "y", "z" })
        {
            Assert.Equal("run-1-1", await _artifacts.GetLatestOutputSetAsync(Key(step)));
        }
    }

    [Fact]
    public async Task Apply_PreviousAsApplied_IsNotAppliedAgain()
    {
        await _entity.CallAsync(RunProjectionEntity.ApplyOperation, Progress(1, digest: "one"));
        await _entity.CallAsync(RunProjectionEntity.ApplyOperation, Progress(2, digest: "two", previous: Progress(1, digest: "one")));
        await _entity.CallAsync(RunProjectionEntity.ApplyOperation, Progress(2, digest: "two", previous: Progress(1, digest: "one")));

        Assert.Equal(["one", "two"], _projection.AppliedDigests);
    }

    [Fact]
    public async Task Apply_FinalUnderATakenNumber_IsAppliedAndEndsTheEntity()
    {
        await _entity.CallAsync(RunProjectionEntity.ApplyOperation, Progress(1, digest: "one"));
        await _entity.CallAsync(RunProjectionEntity.ApplyOperation, Progress(2, digest: "loser-two"));
        await _entity.CallAsync(RunProjectionEntity.ApplyOperation, Progress(2, final: true, digest: "final-two", previous: Progress(1, digest: "one")));

        Assert.Equal(["one", "loser-two", "final-two"], _projection.AppliedDigests);
        Assert.Null(_entity.StateValue);
    }

    [Fact]
    public async Task Apply_UnknownOperation_Throws()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _entity.CallAsync("nope"));

        Assert.Contains("no operation \"nope\"", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static RunProgress Progress(
        long sequence, bool final = false, string? digest = null, RunProgress? previous = null, StepCommit[]? commits = null, StepCommit[]? all = null)
    {
        var run = TestRunRecords.Minimal(T0);
        return new RunProgress("run-1", sequence, run, [], [], commits ?? [], final) { Digest = digest, Previous = previous, AllCommits = all };
    }

    private static StepKey Key(string step)
    {
        var run = TestRunRecords.Minimal(T0);
        return new StepKey(run.ProjectId, run.PipelineUuid, step);
    }

    /// <summary>A commit of an output set that holds an output (an empty one never becomes the latest).</summary>
    private StepCommit Commit(string step, string set) => new(step, Output(step, set));

    private string Output(string step, string set)
    {
        var directory = _artifacts.LocateOutputSet(Key(step), set).Path!;
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "out.json"), "1");
        return set;
    }
}
