using Microsoft.DurableTask;

namespace Orchest.Durable;

/// <summary>
/// Stops and removes a run's service containers when the run ends, however it ends, keeping their logs
/// (<see cref="RunServiceHost"/>). Idempotent: what an earlier execution removed is not there any more.
/// The input is the run id; the result is how many containers were removed.
/// </summary>
[DurableTask(Name)]
public sealed class StopRunServicesActivity(RunServiceHost host) : TaskActivity<string, int>
{
    public const string Name = "StopRunServices";

    public override Task<int> RunAsync(TaskActivityContext context, string input) => host.StopAsync(input);
}
