using Orchest.Engine.Ports;

namespace Orchest.Runners.Docker.Tests;

/// <summary>Runs the named steps with the process runner and every other step in a container (a mixed pipeline).</summary>
internal sealed class RoutingStepRunner(IStepRunner containers, IStepRunner processes, IReadOnlySet<string> processSteps) : IStepRunner
{
    public string Name => "routing";

    public Task<StepExit> RunAsync(StepLaunch launch, IStepLog log, CancellationToken cancellationToken = default) =>
        (processSteps.Contains(launch.StepUuid) ? processes : containers).RunAsync(launch, log, cancellationToken);
}
