using Orchest.Engine.Ports;
using Orchest.Pipelines;

namespace Orchest.Runners.Docker;

/// <summary>The command that runs a step file in its container: the process runner's commands, with container paths.</summary>
internal static class ContainerCommand
{
    /// <summary>The interpreter and its arguments, or null for a file kind no runner supports.</summary>
    public static IList<string>? For(StepLaunch launch, DockerRunnerOptions options, Func<string, string> map) => launch.Kind switch
    {
        StepFileKind.Notebook =>
        [
            options.Python, "-u", "-m", "orchest._notebook", map(launch.StepFile),
            "--output", map(launch.ExecutedNotebookPath), "--cwd", map(launch.WorkingDirectory),
        ],
        StepFileKind.Python => [options.Python, "-u", map(launch.StepFile)],
        StepFileKind.Shell => [options.Bash, map(launch.StepFile)],
        StepFileKind.R => [options.Rscript, map(launch.StepFile)],
        StepFileKind.Julia => [options.Julia, map(launch.StepFile)],
        StepFileKind.JavaScript => [options.Node, map(launch.StepFile)],
        StepFileKind.CSharp => [options.Dotnet, "run", map(launch.StepFile)],
        _ => null,
    };
}
