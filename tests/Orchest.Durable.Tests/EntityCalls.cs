using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;

namespace Orchest.Durable.Tests;

/// <summary>
/// Calls an entity the way the Durable Task runtime does, one operation at a time, keeping its state
/// between calls (as the runtime persists it) and recording the signals it sends.
/// </summary>
internal sealed class EntityCalls(ITaskEntity entity, EntityInstanceId id)
{
    private readonly State _state = new();

    public List<(string Operation, object? Input, DateTimeOffset? At)> Signals { get; } = [];

    public object? StateValue => _state.Value;

    public async Task CallAsync(string operation, object? input = null) =>
        await entity.RunAsync(new Operation(operation, input, new Context(id, Signals), _state));

    private sealed class Operation(string name, object? input, TaskEntityContext context, TaskEntityState state) : TaskEntityOperation
    {
        public override string Name => name;
        public override TaskEntityContext Context => context;
        public override TaskEntityState State => state;
        public override bool HasInput => input is not null;

        public override object? GetInput(Type inputType) => input;
    }

    private sealed class Context(EntityInstanceId id, List<(string, object?, DateTimeOffset?)> signals) : TaskEntityContext
    {
        public override EntityInstanceId Id => id;

        public override void SignalEntity(EntityInstanceId target, string operationName, object? input = null, SignalEntityOptions? options = null) =>
            signals.Add((operationName, input, options?.SignalTime));

        public override string ScheduleNewOrchestration(TaskName name, object? input = null, StartOrchestrationOptions? options = null) =>
            throw new NotSupportedException();
    }

    private sealed class State : TaskEntityState
    {
        public object? Value { get; private set; }

        public override bool HasState => Value is not null;

        public override object? GetState(Type type) => Value;

        public override void SetState(object? state) => Value = state;
    }
}
