namespace Orchest.Engine.Scheduling;

/// <summary>What the state machine decided: a transition to commit, or why the request does not apply.</summary>
public sealed class TransitionResult
{
    private TransitionResult(RunTransition? transition, string? rejection)
    {
        Transition = transition;
        Rejection = rejection;
    }

    public RunTransition? Transition { get; }

    /// <summary>Why nothing changes (e.g. "step already SUCCESS"): duplicates and late results end here.</summary>
    public string? Rejection { get; }

    public bool IsRejected => Transition is null;

    public static TransitionResult Commit(RunTransition transition) => new(transition, null);

    public static TransitionResult Reject(string reason) => new(null, reason);
}
