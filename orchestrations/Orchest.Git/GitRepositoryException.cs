namespace Orchest.Git;

/// <summary>
/// The project's repository could not be reached, cloned or fetched (network, authentication, timeout,
/// missing credential configuration, unregistered project). The message is safe to show: URLs in it
/// are redacted and no credential appears. The API answers 502 (or 422 for configuration problems).
/// </summary>
public sealed class GitRepositoryException : Exception
{
    public GitRepositoryException(string projectId, string message)
        : base(message)
    {
        ProjectId = projectId;
    }

    public GitRepositoryException()
    {
        ProjectId = "";
    }

    public GitRepositoryException(string message)
        : base(message)
    {
        ProjectId = "";
    }

    public GitRepositoryException(string message, Exception innerException)
        : base(message, innerException)
    {
        ProjectId = "";
    }

    public string ProjectId { get; }
}
