using Orchest.Engine.Scheduling;

namespace Orchest.Engine.Execution;

/// <summary>Told about every transition this host committed (progress display, metrics, webhooks).</summary>
public interface IRunObserver
{
    void OnCommitted(RunTransition transition);
}
