namespace Orchest.Functions.GitHooks;

/// <summary>
/// What a delivery is answered (and what a redelivery gets again): what was ignored and why, the jobs the
/// repository's job files created, updated or removed, the invalid files and their problems, and the runs started.
/// </summary>
public sealed record GitPushAnswer
{
    public required string Delivery { get; init; }
    public required string Provider { get; init; }
    public required string Event { get; init; }

    /// <summary>"pong" (a ping), "ignored" (nothing to do: see <see cref="Reason"/>) or "accepted".</summary>
    public required string Status { get; init; }

    /// <summary>Why nothing was done, when ignored.</summary>
    public string? Reason { get; init; }

    public string? Ref { get; init; }
    public string? Before { get; init; }
    public string? After { get; init; }

    /// <summary>The files the push changed (computed from git), when a path filter needed them.</summary>
    public int? ChangedFiles { get; init; }

    public DeclaredJobChanges? Jobs { get; init; }

    /// <summary>Runs started, per job, all at <see cref="After"/>.</summary>
    public IReadOnlyList<PushJobRuns> Runs { get; init; } = [];

    /// <summary>Push-triggered jobs of the branch that started nothing, and why.</summary>
    public IReadOnlyList<PushJobSkipped> NotStarted { get; init; } = [];
}

/// <summary>The job files' effect at the branch's tip when the push was handled.</summary>
public sealed record DeclaredJobChanges
{
    /// <summary>The commit whose job files were read: the branch's tip when the push was handled (usually the pushed commit).</summary>
    public required string Commit { get; init; }

    /// <summary>Why <see cref="Commit"/> is not the pushed commit, when it is not.</summary>
    public string? Note { get; init; }

    public List<DeclaredJobRef> Created { get; init; } = [];
    public List<DeclaredJobRef> Updated { get; init; } = [];
    public List<DeclaredJobRef> Unchanged { get; init; } = [];
    public List<DeclaredJobRef> Removed { get; init; } = [];

    /// <summary>Files not applied (a job they declared before stays as it was).</summary>
    public List<InvalidJobFile> Invalid { get; init; } = [];
}

/// <summary>A job and the file that declares it.</summary>
public sealed record DeclaredJobRef(string File, string JobId);

/// <summary>A job file that is not valid, with every problem.</summary>
public sealed record InvalidJobFile(string File, IReadOnlyList<string> Problems);

/// <summary>The runs a push started for one job.</summary>
public sealed record PushJobRuns(string File, string JobId, IReadOnlyList<string> RunIds, IReadOnlyList<string> Problems);

/// <summary>A push-triggered job a push did not start.</summary>
public sealed record PushJobSkipped(string File, string JobId, string Reason);
