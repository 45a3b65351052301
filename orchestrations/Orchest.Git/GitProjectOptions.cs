namespace Orchest.Git;

/// <summary>
/// Where this host keeps git mirrors, materialised commits and run working copies, and how it fetches
/// (configuration section <c>Orchest:Git</c>). Credentials are not here: they are named by a project
/// and read from <c>Orchest:GitCredentials:&lt;name&gt;</c> when needed (see <see cref="GitCredentials"/>).
/// </summary>
public sealed class GitProjectOptions
{
    public const string SectionName = "Orchest:Git";

    /// <summary>Root of <c>mirrors/</c>, <c>commits/</c>, <c>runs/</c> and <c>locks/</c>; default <c>&lt;temp&gt;/orchest-git</c>.</summary>
    public string? CacheDirectory { get; set; }

    /// <summary>The operator's shared data folder (Orchest's <c>/data</c>); default <c>&lt;cache&gt;/data</c>.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>A mirror fetched less than this long ago (by any process on this machine) is not fetched again for a branch or tag.</summary>
    public TimeSpan FetchFreshness { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A clone or fetch taking longer is stopped (checked between transfer callbacks).</summary>
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long to wait for another thread or process holding a mirror, commit or run lock.</summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The ssh program and options for ssh URLs (libgit2 executes OpenSSH; this line goes into a wrapper
    /// script that also adds a credential's key file). BatchMode keeps ssh from ever prompting on a server.
    /// </summary>
    public string SshCommand { get; set; } = "ssh -o BatchMode=yes -o ConnectTimeout=30 -o ServerAliveInterval=15 -o ServerAliveCountMax=4";

    internal string CacheRoot => Path.GetFullPath(CacheDirectory is { Length: > 0 } dir ? dir : Path.Combine(Path.GetTempPath(), "orchest-git"));

    internal string DataRoot => Path.GetFullPath(DataDirectory is { Length: > 0 } dir ? dir : Path.Combine(CacheRoot, "data"));

    internal string MirrorsDirectory => Path.Combine(CacheRoot, "mirrors");

    internal string CommitsDirectory => Path.Combine(CacheRoot, "commits");

    internal string RunsDirectory => Path.Combine(CacheRoot, "runs");

    internal string LocksDirectory => Path.Combine(CacheRoot, "locks");

    /// <summary>Every problem with these options, each naming the setting to change.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (FetchFreshness < TimeSpan.Zero)
        {
            problems.Add($"{SectionName}:FetchFreshness must not be negative (e.g. 00:00:15).");
        }

        if (FetchTimeout <= TimeSpan.Zero)
        {
            problems.Add($"{SectionName}:FetchTimeout must be a positive duration (e.g. 00:05:00).");
        }

        if (LockTimeout <= TimeSpan.Zero)
        {
            problems.Add($"{SectionName}:LockTimeout must be a positive duration (e.g. 00:10:00).");
        }

        if (string.IsNullOrWhiteSpace(SshCommand) || SshCommand.Contains('\n', StringComparison.Ordinal))
        {
            problems.Add($"{SectionName}:SshCommand must name the ssh program (e.g. \"ssh -o BatchMode=yes\").");
        }

        foreach (var (name, value) in new[] { ("CacheDirectory", CacheDirectory), ("DataDirectory", DataDirectory) })
        {
            if (value is { Length: > 0 } && value.AsSpan().IndexOfAny(Path.GetInvalidPathChars()) >= 0)
            {
                problems.Add($"{SectionName}:{name} is not a valid path.");
            }
        }

        return problems;
    }
}
