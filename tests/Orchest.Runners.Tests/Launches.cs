using System.Text.Json.Nodes;
using Orchest.Engine.Ports;
using Orchest.Pipelines;
using Orchest.Testing;

namespace Orchest.Runners.Tests;

/// <summary>Step launches over a temp project, for runner tests.</summary>
internal static class Launches
{
    public static StepLaunch For(TempProject project, string stepFile, StepFileKind kind, IReadOnlyDictionary<string, string>? env = null)
    {
        var full = Path.Combine(project.Root, stepFile);
        var scratch = Path.Combine(project.Root, ".orchest", "runs", "run-1");
        var output = Path.Combine(project.Root, ".orchest", "pipelines", "ppl", "data", "step-1", "run-1-1");
        Directory.CreateDirectory(output);
        Directory.CreateDirectory(scratch);
        File.WriteAllText(Path.Combine(scratch, "pipeline.json"), "{}");
        return new StepLaunch
        {
            RunId = "run-1",
            ProjectId = "project-1",
            PipelineUuid = "ppl",
            StepUuid = "step-1",
            StepTitle = "Step one",
            Attempt = 1,
            SessionType = "interactive",
            Kind = kind,
            WorkspaceRoot = project.Root,
            StepFile = full,
            WorkingDirectory = Path.GetDirectoryName(full)!,
            PipelineFile = Path.Combine(scratch, "pipeline.json"),
            ContextFile = Path.Combine(scratch, "steps", "step-1-1.context.json"),
            Context = new StepContextDocument
            {
                RunUuid = "run-1",
                PipelineUuid = "ppl",
                StepUuid = "step-1",
                StepTitle = "Step one",
                Attempt = 1,
                Output = StepLocation.Directory(output),
                Inputs = [],
                StepParameters = new JsonObject { ["k"] = 1 },
                PipelineParameters = [],
            },
            DataDirectory = Path.Combine(project.Root, "data"),
            ExecutedNotebookPath = Path.Combine(project.Root, ".orchest", "pipelines", "ppl", "logs", "step-1.ipynb"),
            UserEnvironment = env ?? new Dictionary<string, string>(),
        };
    }
}
