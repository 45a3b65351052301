namespace Orchest.Git;

/// <summary>
/// A ref (branch, tag, full or short sha) that does not name a commit of the project's repository,
/// or is not a valid ref at all. The API answers 404 (unknown) or 400 (<see cref="IsInvalid"/>).
/// </summary>
public sealed class GitRefNotFoundException : Exception
{
    public GitRefNotFoundException(string projectId, string reference, string message, bool isInvalid = false)
        : base(message)
    {
        ProjectId = projectId;
        Reference = reference;
        IsInvalid = isInvalid;
    }

    public GitRefNotFoundException()
    {
        ProjectId = "";
        Reference = "";
    }

    public GitRefNotFoundException(string message)
        : base(message)
    {
        ProjectId = "";
        Reference = "";
    }

    public GitRefNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
        ProjectId = "";
        Reference = "";
    }

    public string ProjectId { get; }

    public string Reference { get; }

    /// <summary>True when the ref is malformed or ambiguous rather than absent.</summary>
    public bool IsInvalid { get; }
}
