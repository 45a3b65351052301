using System.Collections.Concurrent;
using DurableTask.AzureStorage;
using DurableTask.Core;
using DurableTask.Core.Entities;
using Microsoft.Extensions.Logging;

namespace Orchest.Durable.AzureStorage;

/// <summary>
/// The worker's view of the orchestration service: the same service, except that an entity's work item never
/// runs as an extended session (one batch of operations per work item; orchestrations keep theirs).
/// </summary>
/// <remarks>
/// With extended sessions, DurableTask.Core 3.11.3's entity dispatcher on DurableTask.AzureStorage 2.11.3 starts an
/// entity's second batch within a session from an empty scheduler state: the entity's own state and its message
/// sorter (ordering, duplicates) are lost between the batches. Measured on the run projection entity: in a session,
/// every batch after the first saw no state (each progress was taken for the first one), so its skip of a repeated
/// progress and its repair of a split brain's progress never worked; a chaos trial (seed 7043) lost two events and
/// a commit that way. A batch that loads its entity from storage sees the state the previous one wrote.
/// It also keeps which orchestration work items the worker holds, so that after a failed fetch the sessions the
/// provider left active are given back (<see cref="LeftSessions"/>).
/// </remarks>
internal sealed class EntitiesWithoutExtendedSessions(AzureStorageOrchestrationService service, ILogger logger) : IOrchestrationService, IEntityOrchestrationService
{
    private readonly IEntityOrchestrationService _entities = service;
    private readonly LeftSessions _left = new(service, logger);

    /// <summary>Orchestration work items the worker holds (fetched, not released yet), by instance.</summary>
    private readonly ConcurrentDictionary<string, int> _held = new(StringComparer.Ordinal);

    /// <summary>Orchestration fetches going now.</summary>
    private int _fetching;

    public int TaskOrchestrationDispatcherCount => service.TaskOrchestrationDispatcherCount;

    public int MaxConcurrentTaskOrchestrationWorkItems => service.MaxConcurrentTaskOrchestrationWorkItems;

    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => service.EventBehaviourForContinueAsNew;

    public int TaskActivityDispatcherCount => service.TaskActivityDispatcherCount;

    public int MaxConcurrentTaskActivityWorkItems => service.MaxConcurrentTaskActivityWorkItems;

    public EntityBackendProperties? EntityBackendProperties => _entities.EntityBackendProperties;

    public EntityBackendQueries? EntityBackendQueries => _entities.EntityBackendQueries;

    public async Task<TaskOrchestrationWorkItem> LockNextEntityWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        var workItem = await _entities.LockNextEntityWorkItemAsync(receiveTimeout, cancellationToken);
        if (workItem is not null)
        {
            workItem.Session = null; // one batch: the dispatcher then completes and releases the work item
        }

        return workItem!;
    }

    public Task<TaskOrchestrationWorkItem> LockNextOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        FetchAsync(() => _entities.LockNextOrchestrationWorkItemAsync(receiveTimeout, cancellationToken));

    public Task StartAsync() => service.StartAsync();

    public Task StopAsync() => service.StopAsync();

    public Task StopAsync(bool isForced) => service.StopAsync(isForced);

    public Task CreateAsync() => service.CreateAsync();

    public Task CreateAsync(bool recreateInstanceStore) => service.CreateAsync(recreateInstanceStore);

    public Task CreateIfNotExistsAsync() => service.CreateIfNotExistsAsync();

    public Task DeleteAsync() => service.DeleteAsync();

    public Task DeleteAsync(bool deleteInstanceStore) => service.DeleteAsync(deleteInstanceStore);

    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) =>
        service.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);

    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => service.GetDelayInSecondsAfterOnProcessException(exception);

    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => service.GetDelayInSecondsAfterOnFetchException(exception);

    public Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        FetchAsync(() => service.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken));

    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => service.RenewTaskOrchestrationWorkItemLockAsync(workItem);

    public Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem, OrchestrationRuntimeState newOrchestrationRuntimeState, IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages, IList<TaskMessage> timerMessages, TaskMessage continuedAsNewMessage, OrchestrationState orchestrationState) =>
        service.CompleteTaskOrchestrationWorkItemAsync(
            workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);

    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => service.AbandonTaskOrchestrationWorkItemAsync(workItem);

    public async Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
    {
        try
        {
            await service.ReleaseTaskOrchestrationWorkItemAsync(workItem);
        }
        finally
        {
            if (_held.AddOrUpdate(workItem.InstanceId, 0, (_, count) => count - 1) <= 0)
            {
                _held.TryRemove(new KeyValuePair<string, int>(workItem.InstanceId, 0));
            }
        }
    }

    /// <summary>Fetches an orchestration work item; when the fetch fails and no other is going, gives back the sessions it left active.</summary>
    private async Task<TaskOrchestrationWorkItem> FetchAsync(Func<Task<TaskOrchestrationWorkItem>> fetch)
    {
        Interlocked.Increment(ref _fetching);
        try
        {
            var workItem = await fetch();
            if (workItem is not null)
            {
                _held.AddOrUpdate(workItem.InstanceId, 1, (_, count) => count + 1);
            }

            return workItem!;
        }
        catch (Exception ex) when (ex is not OperationCanceledException && Volatile.Read(ref _fetching) == 1)
        {
            try
            {
                await _left.ReleaseAsync(_held.ContainsKey);
            }
            catch (Exception releasing)
            {
                Logs.LeftSessionsReleaseFailed(logger, releasing);
            }

            throw;
        }
        finally
        {
            Interlocked.Decrement(ref _fetching);
        }
    }

    public Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        service.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);

    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => service.RenewTaskActivityWorkItemLockAsync(workItem);

    public Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage) =>
        service.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);

    public Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem) => service.AbandonTaskActivityWorkItemAsync(workItem);
}
