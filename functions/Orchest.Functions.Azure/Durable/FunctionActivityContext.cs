using Microsoft.DurableTask;

namespace Orchest.Functions.Azure.Durable;

/// <summary>
/// The activity context Orchest.Durable's activities expect; the Functions extension hands activity
/// functions their input only (the generated wrappers the package would write make the same).
/// </summary>
internal sealed class FunctionActivityContext(TaskName name, string instanceId) : TaskActivityContext
{
    public override TaskName Name { get; } = name;

    public override string InstanceId { get; } = instanceId;
}
