namespace Orchest.Durable;

/// <summary>How this host runs the steps its orchestrations dispatch to it (section <c>Orchest:Steps</c>).</summary>
public sealed class StepHostOptions
{
    public const string Section = "Orchest:Steps";

    /// <summary>Names this host in step records and attempt rows; unique per process ("machine:pid" by default).</summary>
    public string HostId { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>How often this host asks whether the runs of its running steps must stop (cancel, fail-fast).</summary>
    public TimeSpan StopPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often it asks about a run none of whose steps runs here any more (until the run ends or goes idle).</summary>
    public TimeSpan IdleRunPollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A run with no step here for this long is forgotten (its caches and working copy released).</summary>
    public TimeSpan ForgetIdleRunAfter { get; set; } = TimeSpan.FromMinutes(10);
}
