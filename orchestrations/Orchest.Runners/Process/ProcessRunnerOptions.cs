namespace Orchest.Runners.Process;

/// <summary>Interpreters and limits of the process runner (configuration section <c>Orchest:Runners:Process</c>).</summary>
public sealed class ProcessRunnerOptions
{
    /// <summary>Python for .py and .ipynb steps: <c>/usr/bin/python3</c> when it exists, else <c>python3</c> on PATH.</summary>
    public string Python { get; set; } = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    public string Bash { get; set; } = "bash";
    public string Rscript { get; set; } = "Rscript";
    public string Julia { get; set; } = "julia";
    public string Node { get; set; } = "node";
    public string Dotnet { get; set; } = "dotnet";

    /// <summary>Folder holding the Python step SDK package <c>orchest</c>; put first on PYTHONPATH.</summary>
    public string? PythonSdkPath { get; set; } = DefaultPythonSdkPath();

    /// <summary>
    /// Local NuGet feed holding the .NET step SDK (<c>Orchest.Sdk.&lt;version&gt;.nupkg</c> and
    /// <c>orchest-sdk.version</c>) that C# steps reference; the build ships it in
    /// <c>sdk/dotnet/feed</c> next to the program.
    /// </summary>
    public string? DotnetSdkFeed { get; set; } = DefaultDotnetSdkFeed();

    /// <summary>
    /// Where built C# steps are kept, keyed by content, so an unchanged step is built once:
    /// <c>$XDG_CACHE_HOME/orchest/csharp</c>, else <c>~/.cache/orchest/csharp</c>.
    /// </summary>
    public string CSharpCacheDirectory { get; set; } = DefaultCSharpCacheDirectory();

    /// <summary>Time between TERM and KILL when a step is stopped (and for what a step leaves running when it exits).</summary>
    public TimeSpan KillGracePeriod { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How steps are contained: <see cref="ProcessSandbox.Auto"/> (bubblewrap when it works here, the
    /// data folder then at <c>/data</c>), <see cref="ProcessSandbox.Bubblewrap"/> (required) or
    /// <see cref="ProcessSandbox.None"/>.
    /// </summary>
    public ProcessSandbox Sandbox { get; set; } = ProcessSandbox.Auto;

    /// <summary>
    /// How long a step's log waits for the end of its output once every process of the step is gone;
    /// past it, a process outside the step that still holds the pipe cannot keep the step open.
    /// </summary>
    public TimeSpan OutputDrainTimeout { get; set; } = TimeSpan.FromSeconds(2);

    private static string? DefaultPythonSdkPath()
    {
        var shipped = Path.Combine(AppContext.BaseDirectory, "sdk", "python");
        return Directory.Exists(Path.Combine(shipped, "orchest")) ? shipped : null;
    }

    private static string? DefaultDotnetSdkFeed()
    {
        var shipped = Path.Combine(AppContext.BaseDirectory, "sdk", "dotnet", "feed");
        return Directory.Exists(shipped) ? shipped : null;
    }

    private static string DefaultCSharpCacheDirectory()
    {
        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrEmpty(cache) || !Path.IsPathRooted(cache))
        {
            cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        }

        return Path.Combine(cache, "orchest", "csharp");
    }
}
