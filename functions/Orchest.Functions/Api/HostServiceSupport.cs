using Orchest.Engine.Ports;
using Orchest.Pipelines;

namespace Orchest.Functions.Api;

/// <summary>
/// Whether this host's runs can start pipeline services: with the docker runner (an <see cref="IRunServices"/>
/// is registered) they can; with the process runner a pipeline declaring services is refused when a run or
/// a job is created (before anything is stored) rather than failing at the first <c>get_service</c>.
/// </summary>
internal sealed class HostServiceSupport(IRunServices? services = null)
{
    /// <summary>Why <paramref name="pipeline"/> cannot run on this host (naming its services and the setting); null when it can.</summary>
    public string? Problem(PipelineDefinition pipeline) => services is not null
        ? null
        : ServiceSupport.Unavailable(pipeline, "process", "set Orchest:Runner=docker on the served hosts")?.Message;
}
