using Microsoft.DurableTask;
using Orchest.Engine.Ports;

namespace Orchest.Durable;

/// <summary>
/// Starts a run's pipeline services before its first step (<see cref="RunServiceHost"/>). Idempotent: an
/// execution again (its host died, a retry) replaces the containers an earlier one left.
/// </summary>
[DurableTask(Name)]
public sealed class StartRunServicesActivity(RunServiceHost host) : TaskActivity<RunServicesInput, RunServicesStart>
{
    public const string Name = "StartRunServices";

    public override Task<RunServicesStart> RunAsync(TaskActivityContext context, RunServicesInput input) => host.StartAsync(input.Run);
}
