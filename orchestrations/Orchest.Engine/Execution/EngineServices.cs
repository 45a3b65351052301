using Microsoft.Extensions.Logging;
using Orchest.Engine.Ports;

namespace Orchest.Engine.Execution;

/// <summary>The ports and shared parts one host's engine works with.</summary>
internal sealed class EngineServices
{
    public EngineServices(
        IRunStore store,
        IWorkQueue queue,
        IArtifactStore artifacts,
        IStepRunner runner,
        IRunWorkspaces workspaces,
        IReadOnlyList<IRunObserver> observers,
        EngineOptions options,
        TimeProvider clock,
        ILogger logger)
    {
        Store = store;
        Queue = queue;
        Artifacts = artifacts;
        Runner = runner;
        Workspaces = workspaces;
        Options = options;
        Clock = clock;
        Logger = logger;
        Attempts = new StepAttempts(artifacts, runner, workspaces, logger);
        Committer = new TransitionCommitter(store, queue, Attempts, observers, clock, logger);
    }

    public IRunStore Store { get; }
    public IWorkQueue Queue { get; }
    public IArtifactStore Artifacts { get; }
    public IStepRunner Runner { get; }
    public IRunWorkspaces Workspaces { get; }
    public EngineOptions Options { get; }
    public TimeProvider Clock { get; }
    public ILogger Logger { get; }
    public StepAttempts Attempts { get; }
    public TransitionCommitter Committer { get; }
}
