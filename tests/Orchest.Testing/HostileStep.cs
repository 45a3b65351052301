namespace Orchest.Testing;

/// <summary>Steps that try to outlive themselves or hold their log open (issue 10), as real Orchest projects did.</summary>
public enum HostileStep
{
    /// <summary>Daemonises (double fork, setsid) a child that keeps the step's stdout open.</summary>
    DaemonHoldingOutput,

    /// <summary>Starts a child whose grandchild runs in a session of its own and ignores TERM.</summary>
    SetsidGrandchildIgnoringTerm,

    /// <summary>A notebook whose (fake) kernel starts a session of its own, ignores TERM and never becomes ready; "exits" = the kernel dies while starting.</summary>
    KernelStarting,

    /// <summary>Starts a child that keeps writing to the step's output, then (when it exits) exits.</summary>
    ChildKeepsWriting,

    /// <summary>Prints without newlines.</summary>
    PartialLines,
}
