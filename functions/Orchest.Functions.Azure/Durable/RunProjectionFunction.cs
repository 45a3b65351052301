using Microsoft.DurableTask.Entities;
using Orchest.Durable;

namespace Orchest.Functions.Azure.Durable;

/// <summary>
/// A run's projection as an entity function: <see cref="RunProjectionEntity"/>, made by
/// <see cref="DurableTasks"/> from this worker's services, runs the operation batch the host dispatches.
/// </summary>
public sealed class RunProjectionFunction(DurableTasks tasks)
{
    [Function(RunProjectionEntity.Name)]
    public Task RunAsync([EntityTrigger] TaskEntityDispatcher dispatcher, FunctionContext function) =>
        dispatcher.DispatchAsync(tasks.CreateEntity(RunProjectionEntity.Name, function.InstanceServices)
            ?? throw new InvalidOperationException($"No entity named \"{RunProjectionEntity.Name}\" is registered."));
}
