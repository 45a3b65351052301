namespace Orchest.Chaos.Workloads;

/// <summary>One step of a planned run: its parents (titles), how long it sleeps, whether it fails, whether it has a retry.</summary>
public sealed record PlannedStep(string Title, IReadOnlyList<string> Parents, double SleepSeconds, StepFailure Failure, bool Retried)
{
    /// <summary>The name the step outputs its token under (unique per step: inputs of several parents must not collide).</summary>
    public string OutputName => "t_" + Title;
}
