namespace Orchest.Pipelines;

/// <summary>What a run does when a step fails (settings.failure_policy).</summary>
public enum FailurePolicy
{
    /// <summary>"fail-fast" (Orchest's only behaviour): the first failure aborts every unfinished step.</summary>
    FailFast,

    /// <summary>"continue" (ours): independent branches keep running; only the failed step's descendants are aborted.</summary>
    Continue,
}
