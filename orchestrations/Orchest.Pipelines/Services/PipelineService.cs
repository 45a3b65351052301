namespace Orchest.Pipelines.Services;

/// <summary>
/// One of Orchest's pipeline services (inventory §1.6): a container started beside the steps, e.g. a
/// database the steps talk to. Read from the migrated (1.2.3) JSON by <see cref="PipelineServices"/>.
/// </summary>
public sealed record PipelineService
{
    /// <summary>The prefix of an image that names an Orchest environment instead of a Docker image.</summary>
    public const string EnvironmentPrefix = "environment@";

    public required string Name { get; init; }

    /// <summary>A Docker image, or <c>environment@&lt;uuid&gt;</c>.</summary>
    public required string Image { get; init; }

    /// <summary>The environment uuid when <see cref="Image"/> is <c>environment@&lt;uuid&gt;</c>.</summary>
    public string? EnvironmentUuid => Image.StartsWith(EnvironmentPrefix, StringComparison.Ordinal) ? Image[EnvironmentPrefix.Length..] : null;

    /// <summary>The container's entrypoint (one element), empty for the image's own.</summary>
    public string Command { get; init; } = "";

    /// <summary>Arguments, split like a POSIX shell (Orchest used <c>shlex.split</c>).</summary>
    public string Args { get; init; } = "";

    /// <summary><c>/data</c> and/or <c>/project-dir</c> → the path inside the service container.</summary>
    public IReadOnlyDictionary<string, string> Binds { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<int> Ports { get; init; } = [];

    /// <summary>Variables from the pipeline file (not secret: they are committed with it).</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables { get; init; } = new Dictionary<string, string>();

    /// <summary>Names copied from the run's variables; they override same-named <see cref="EnvironmentVariables"/>.</summary>
    public IReadOnlyList<string> InheritedVariables { get; init; } = [];

    public IReadOnlyList<string> Scope { get; init; } = [];

    public int Order { get; init; }

    public bool Exposed { get; init; }

    /// <summary>Whether non-interactive runs (every run here) start it.</summary>
    public bool RunsNonInteractive => Scope.Contains("noninteractive");
}
