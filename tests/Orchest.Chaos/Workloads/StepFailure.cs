namespace Orchest.Chaos.Workloads;

/// <summary>How a workload step fails on purpose.</summary>
public enum StepFailure
{
    Never,

    /// <summary>Every attempt exits 3: the run must end FAILURE.</summary>
    Always,

    /// <summary>Attempt 1 exits 3 (the step has a retry, so attempt 2 succeeds and the run with it).</summary>
    FirstAttempt,
}
