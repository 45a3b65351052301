using Orchest.Engine.Runs;

namespace Orchest.Durable;

/// <summary>What <see cref="StartRunServicesActivity"/> starts: the run's services (read from its definition blob).</summary>
public sealed record RunServicesInput(RunRecord Run)
{
    public override string ToString() => $"RunServicesInput {{ RunId = {Run.Id} }}";
}
