using Orchest.Engine.Ports;
using Orchest.Pipelines;

namespace Orchest.Runners.Process;

/// <summary>The command line that runs a step file, chosen by its kind (Orchest's dispatch by extension).</summary>
internal sealed record StepCommand(string Interpreter, string InterpreterSetting, IReadOnlyList<string> Arguments)
{
    public static StepCommand? For(StepLaunch launch, ProcessRunnerOptions options) => launch.Kind switch
    {
        StepFileKind.Notebook => new(options.Python, "Python", [
            "-u", "-m", "orchest._notebook", launch.StepFile,
            "--output", launch.ExecutedNotebookPath, "--cwd", launch.WorkingDirectory]),
        StepFileKind.Python => new(options.Python, "Python", ["-u", launch.StepFile]),
        StepFileKind.Shell => new(options.Bash, "Bash", [launch.StepFile]),
        StepFileKind.R => new(options.Rscript, "Rscript", [launch.StepFile]),
        StepFileKind.Julia => new(options.Julia, "Julia", [launch.StepFile]),
        StepFileKind.JavaScript => new(options.Node, "Node", [launch.StepFile]),
        StepFileKind.CSharp => new(options.Dotnet, "Dotnet", ["run", launch.StepFile]),
        _ => null,
    };

    /// <summary>The interpreter's full path, or null when it cannot be found.</summary>
    public string? ResolveInterpreter() => Executables.Find(Interpreter);
}
