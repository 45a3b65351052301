using Microsoft.DurableTask;
using Orchest.Durable.Housekeeping;

namespace Orchest.Durable.Tests;

/// <summary>The housekeeping loop's decisions: what a round includes, how long it waits, what the next generation gets.</summary>
public sealed class HousekeepingOrchestratorTests
{
    private static readonly DateTime Start = new(2026, 12, 7, 4, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(1, 2)]
    [InlineData(60, 61)]
    [InlineData(0.5, 2)]
    public async Task RunAsync_WaitsTheRoundsIntervalInWholeSecondsPlusOne_ThenContinuesAsNew(double intervalSeconds, int firesAfterSeconds)
    {
        var context = new RecordingContext(Start, new HousekeepingOutcome(TimeSpan.FromSeconds(intervalSeconds)));

        await new HousekeepingOrchestrator().RunAsync(context, new HousekeepingInput(Start.AddMinutes(30)));

        // A timer at now + 1 s fires at once on Azure Storage: the loop would run rounds back to back.
        Assert.Equal([Start.AddSeconds(firesAfterSeconds)], context.Timers);
        Assert.Equal([new HousekeepingRound(Prune: false)], context.Rounds);
        Assert.Equal(new HousekeepingInput(Start.AddMinutes(30)), (HousekeepingInput?)context.ContinuedWith);
    }

    [Fact]
    public async Task RunAsync_PruneDue_PrunesAndPutsTheNextPruneAnHourOn()
    {
        var context = new RecordingContext(Start, new HousekeepingOutcome(TimeSpan.FromMinutes(1)));

        await new HousekeepingOrchestrator().RunAsync(context, new HousekeepingInput(Start));

        Assert.Equal([new HousekeepingRound(Prune: true)], context.Rounds);
        Assert.Equal(new HousekeepingInput(Start + HousekeepingOrchestrator.PruneInterval), (HousekeepingInput?)context.ContinuedWith);
    }

    [Fact]
    public async Task RunAsync_RoundFailedAsAWhole_WaitsTheRetryIntervalAndGoesOn()
    {
        var context = new RecordingContext(Start, outcome: null);

        await new HousekeepingOrchestrator().RunAsync(context, new HousekeepingInput(Start.AddMinutes(30)));

        Assert.Equal([DurableDelay.FireAt(Start, HousekeepingOrchestrator.RetryInterval)], context.Timers);
        Assert.NotNull(context.ContinuedWith);
    }

    /// <summary>An orchestration context that answers the round activity (or fails it) and records timers and continue-as-new.</summary>
    private sealed class RecordingContext(DateTime now, HousekeepingOutcome? outcome)
        : ScriptedContext(HousekeepingOrchestrator.Name, HousekeepingOrchestrator.InstanceId, now)
    {
        public List<HousekeepingRound> Rounds { get; } = [];

        public override Task<TResult> CallActivityAsync<TResult>(TaskName name, object? input = null, TaskOptions? options = null)
        {
            Assert.Equal(HousekeepingActivity.Name, name.Name);
            Rounds.Add((HousekeepingRound)input!);
            return outcome is null
                ? Task.FromException<TResult>(new TaskFailedException(name, 1, new TaskFailureDetails("IOException", "storage down", null, null, null)))
                : Task.FromResult((TResult)(object)outcome);
        }
    }
}
