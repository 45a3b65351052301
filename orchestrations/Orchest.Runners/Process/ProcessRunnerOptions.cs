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

    /// <summary>Time between TERM and KILL when a step is stopped.</summary>
    public TimeSpan KillGracePeriod { get; set; } = TimeSpan.FromSeconds(3);

    private static string? DefaultPythonSdkPath()
    {
        var shipped = Path.Combine(AppContext.BaseDirectory, "sdk", "python");
        return Directory.Exists(Path.Combine(shipped, "orchest")) ? shipped : null;
    }
}
