using Microsoft.DurableTask;

namespace Orchest.Durable.Housekeeping;

/// <summary>One housekeeping round on whichever host takes the work item.</summary>
[DurableTask(Name)]
public sealed class HousekeepingActivity(IHousekeeping housekeeping) : TaskActivity<HousekeepingRound, HousekeepingOutcome>
{
    public const string Name = "HousekeepingRound";

    public override Task<HousekeepingOutcome> RunAsync(TaskActivityContext context, HousekeepingRound input) => housekeeping.RunAsync(input);
}
