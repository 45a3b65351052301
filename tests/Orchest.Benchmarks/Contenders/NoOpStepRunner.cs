using Orchest.Engine.Ports;

namespace Orchest.Benchmarks.Contenders;

/// <summary>A runner that starts nothing and succeeds at once: what is left is the engine's own cost per step.</summary>
public sealed class NoOpStepRunner : IStepRunner
{
    public string Name => "no-op";

    public Task<StepExit> RunAsync(StepLaunch launch, IStepLog log, CancellationToken cancellationToken = default) =>
        Task.FromResult(new StepExit(0));
}
