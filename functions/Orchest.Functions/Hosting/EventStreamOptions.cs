namespace Orchest.Functions.Hosting;

/// <summary>The run event stream (section <c>Orchest:Events</c>).</summary>
public sealed class EventStreamOptions
{
    public const string Section = "Orchest:Events";

    /// <summary>How often an open stream reads the run's new events and begun attempts (two small queries): the stream's lag.</summary>
    public TimeSpan StreamPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>A comment line is sent after this much silence, so proxies keep the connection open.</summary>
    public TimeSpan StreamHeartbeat { get; set; } = TimeSpan.FromSeconds(15);

    public IReadOnlyList<string> Validate() =>
        StreamPollInterval < TimeSpan.FromMilliseconds(20) || StreamHeartbeat < TimeSpan.FromSeconds(1)
            ? [$"{Section}:StreamPollInterval must be at least 00:00:00.020 and {Section}:StreamHeartbeat at least 00:00:01."]
            : [];
}
