namespace Orchest.Runners.Docker.Services;

/// <summary>A run's service could not start or did not become ready; the run fails with this message and the service's log.</summary>
public sealed class ServiceStartException : Exception
{
    public ServiceStartException(string service, string message, IReadOnlyList<string> logTail)
        : base(message)
    {
        Service = service;
        LogTail = logTail;
    }

    public string Service { get; }

    /// <summary>The last lines the service's container wrote (empty when it never started).</summary>
    public IReadOnlyList<string> LogTail { get; }
}
