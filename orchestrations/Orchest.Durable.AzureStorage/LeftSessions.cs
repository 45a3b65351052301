using System.Collections;
using System.Reflection;
using DurableTask.AzureStorage;
using Microsoft.Extensions.Logging;

namespace Orchest.Durable.AzureStorage;

/// <summary>
/// Gives back the orchestration sessions DurableTask.AzureStorage left open after a failed fetch, so their instances
/// go on.
/// </summary>
/// <remarks>
/// DurableTask.AzureStorage 2.11.3's <c>LockNextTaskOrchestrationWorkItemAsync</c> takes an instance's session, then
/// may fail before it made the work item (e.g. abandoning an out-of-order message whose pop receipt changed: another
/// copy of it was dequeued meanwhile, "PopReceiptMismatch"); its catch releases only a work item it made, so the
/// session stays active on this host, and every later message for the instance waits behind it: they are
/// dequeued again and again ("Received a duplicate message ... dequeue count N", the count growing) and never run,
/// until the host stops (Azure/durabletask issue 581 describes the same symptom). Seen in a chaos trial: a cron
/// job's orchestration never took its cancel and the job showed STARTED for good. The session manager keeps no
/// owner of a session, so the one that can tell which sessions are left is the caller that knows which work items
/// it holds (<see cref="EntitiesWithoutExtendedSessions"/>): any other active session after a failed fetch, with
/// no other fetch going, was left behind. Releasing it abandons its messages (they come back, and the next fetch
/// takes the instance as usual). The service's internals are reached by reflection; when they are not found
/// (another version) this says so once at start and does nothing.
/// </remarks>
internal sealed class LeftSessions
{
    private readonly AzureStorageOrchestrationService _service;
    private readonly ILogger _logger;
    private readonly IDictionary? _active;
    private readonly object? _lock;
    private readonly MethodInfo? _abandonAndRelease;

    public LeftSessions(AzureStorageOrchestrationService service, ILogger logger)
    {
        _service = service;
        _logger = logger;
        const BindingFlags Private = BindingFlags.Instance | BindingFlags.NonPublic;
        var manager = typeof(AzureStorageOrchestrationService).GetFields(Private)
            .FirstOrDefault(f => f.FieldType.Name == "OrchestrationSessionManager")?.GetValue(service);
        _active = manager?.GetType().GetField("activeOrchestrationSessions", Private)?.GetValue(manager) as IDictionary;
        _lock = manager?.GetType().GetField("messageAndSessionLock", Private)?.GetValue(manager);
        _abandonAndRelease = typeof(AzureStorageOrchestrationService).GetMethod("AbandonAndReleaseSessionAsync", Private);
        if (_active is null || _lock is null || _abandonAndRelease?.GetParameters().Length != 2)
        {
            Logs.LeftSessionsUnavailable(logger);
            _active = null;
        }
    }

    /// <summary>Releases every active orchestration session (entities aside) that <paramref name="held"/> does not name; returns how many.</summary>
    public async Task<int> ReleaseAsync(Func<string, bool> held)
    {
        if (_active is null)
        {
            return 0;
        }

        List<(string InstanceId, object Session)> left;
        lock (_lock!)
        {
            left = _active.Keys.OfType<string>()
                .Where(id => !id.StartsWith('@') && !held(id))
                .Select(id => (id, _active[id]!))
                .ToList();
        }

        foreach (var (instanceId, session) in left)
        {
            Logs.LeftSessionReleased(_logger, instanceId);
            await (Task)_abandonAndRelease!.Invoke(_service, [session, "Released by Orchest: left active after a failed fetch."])!;
        }

        return left.Count;
    }
}
