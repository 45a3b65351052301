namespace Orchest.Engine.Ports;

/// <summary>How starting a run's services went: where each started one listens, or why one did not start.</summary>
/// <param name="Services">The services that are ready, in start order.</param>
/// <param name="Failure">Why the run cannot go on (the service's message and its last log lines); null when all are ready.</param>
public sealed record RunServicesStart(IReadOnlyList<ServiceEndpoint> Services, string? Failure = null)
{
    public override string ToString() => $"RunServicesStart {{ Services = {Services.Count}, Failed = {Failure is not null} }}";
}
