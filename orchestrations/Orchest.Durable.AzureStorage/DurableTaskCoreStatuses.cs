using DurableTask.Core;

namespace Orchest.Durable.AzureStorage;

/// <summary>
/// DurableTask.Core starts an orchestration over an existing one of the same id unless the existing one's
/// status is in the dedupe list (then it silently does nothing): with every status listed, a start is
/// a no-op for any id already used.
/// </summary>
internal static class DurableTaskCoreStatuses
{
    public static OrchestrationStatus[] All { get; } = Enum.GetValues<OrchestrationStatus>();
}
