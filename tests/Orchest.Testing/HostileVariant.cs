namespace Orchest.Testing;

/// <summary>How a hostile step's run ends.</summary>
public enum HostileVariant
{
    /// <summary>The step's main process exits by itself and leaves its hostile processes behind.</summary>
    NormalExit,

    /// <summary>Another step fails while the hostile step runs: fail-fast aborts it.</summary>
    FailFast,

    /// <summary>The run is cancelled while the hostile step runs.</summary>
    Cancel,
}
