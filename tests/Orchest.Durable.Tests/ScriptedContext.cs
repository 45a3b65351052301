using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Orchest.Durable.Tests;

/// <summary>
/// An orchestration context for pure tests of an orchestrator's decisions, at a fixed time: a test answers the
/// activity calls (<see cref="CallActivityAsync{TResult}"/>); timers fire at once and are recorded, external
/// events never come, continue-as-new is recorded. What a test does not use is not supported.
/// </summary>
internal abstract class ScriptedContext(string name, string instanceId, DateTime now) : TaskOrchestrationContext
{
    public List<DateTime> Timers { get; } = [];

    /// <summary>The input of the last continue-as-new (null: none).</summary>
    public object? ContinuedWith { get; private set; }

    public override TaskName Name => name;

    public override string InstanceId => instanceId;

    public override ParentOrchestrationInstance? Parent => null;

    public override DateTime CurrentUtcDateTime => now;

    public override bool IsReplaying => false;

    public override TaskOrchestrationEntityFeature Entities => throw new NotSupportedException();

    protected override ILoggerFactory LoggerFactory => NullLoggerFactory.Instance;

    public override T GetInput<T>() => throw new NotSupportedException();

    public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken)
    {
        Timers.Add(fireAt);
        return Task.CompletedTask;
    }

    public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true) => ContinuedWith = newInput;

    public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default) =>
        new TaskCompletionSource<T>().Task;

    public override void SendEvent(string instanceId, string eventName, object payload) => throw new NotSupportedException();

    public override void SetCustomStatus(object? customStatus) => throw new NotSupportedException();

    public override Task<TResult> CallSubOrchestratorAsync<TResult>(TaskName orchestratorName, object? input = null, TaskOptions? options = null) =>
        throw new NotSupportedException();

    public override Guid NewGuid() => throw new NotSupportedException();
}
