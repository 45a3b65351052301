using Orchest.Engine.Ports;
using Orchest.Pipelines;

namespace Orchest.Runners.Process;

/// <summary>The command line that runs a step file, chosen by its kind (Orchest's dispatch by extension).</summary>
/// <param name="Interpreter">The program, as configured (a name on PATH or a path).</param>
/// <param name="InterpreterSetting">The option that configures it, for the message when it is missing.</param>
/// <param name="Arguments">Its arguments.</param>
/// <param name="Environment">Variables the interpreter needs (a step's own variables of the same names win).</param>
internal sealed record StepCommand(
    string Interpreter, string InterpreterSetting, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string>? Environment = null)
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
        // The arguments come from CSharpStepBuilder, which first builds the step in its cache.
        StepFileKind.CSharp => new(options.Dotnet, "Dotnet", [], DotnetEnvironment.Variables),
        _ => null,
    };

    /// <summary>The interpreter's full path, or null when it cannot be found.</summary>
    public string? ResolveInterpreter() => Executables.Find(Interpreter);
}
