using Microsoft.DurableTask;

namespace Orchest.Durable.Housekeeping;

/// <summary>
/// The task hub's periodic housekeeping: one eternal orchestration per task hub (instance <see cref="InstanceId"/>),
/// so however many hosts share the hub, each round runs once, on a durable timer that outlives any host. A round
/// is one <see cref="HousekeepingActivity"/>; the orchestration then waits the interval the round returned (from
/// the round's start, rounded up to whole seconds plus one: <see cref="DurableDelay"/>) and continues as new (its history stays one round long). This is how a Functions app, which has no timer
/// trigger here, gets the same housekeeping as <c>orchest serve</c>.
/// </summary>
[DurableTask(Name)]
public sealed class HousekeepingOrchestrator : TaskOrchestrator<HousekeepingInput, string>
{
    public const string Name = "Housekeeping";

    public const string InstanceId = "orchest-housekeeping";

    /// <summary>How often a round includes pruning.</summary>
    public static readonly TimeSpan PruneInterval = TimeSpan.FromHours(1);

    /// <summary>The wait after a round that failed as a whole (the activity itself could not run).</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromMinutes(1);

    public override async Task<string> RunAsync(TaskOrchestrationContext context, HousekeepingInput input)
    {
        var now = context.CurrentUtcDateTime;
        var prune = now >= input.NextPrune;
        TimeSpan wait;
        try
        {
            wait = (await context.CallActivityAsync<HousekeepingOutcome>(HousekeepingActivity.Name, new HousekeepingRound(prune))).Interval;
        }
        catch (TaskFailedException)
        {
            // The housekeeping logs its own failures; one that escaped it must not end the loop.
            wait = RetryInterval;
        }

        // Not now + wait: on Azure Storage a timer under a second fires at once (DurableDelay), which made a
        // 1 s interval a loop of rounds as fast as the hub could run them.
        await context.CreateTimer(DurableDelay.FireAt(now, wait), CancellationToken.None);
        context.ContinueAsNew(new HousekeepingInput(prune ? now + PruneInterval : input.NextPrune));
        return "continued";
    }
}
