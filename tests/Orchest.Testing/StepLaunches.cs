using System.Text.Json.Nodes;
using Orchest.Engine.Ports;
using Orchest.Pipelines;

namespace Orchest.Testing;

/// <summary>Step launches over a temp project laid out as the embedded engine lays it out, for direct runner tests.</summary>
public static class StepLaunches
{
    public static StepLaunch For(
        TempProject project, string stepFile, StepFileKind kind, string? runId = null, string? pipelineJson = null,
        IReadOnlyDictionary<string, string>? env = null, EnvironmentDefinition? environment = null)
    {
        runId ??= "run-" + Guid.NewGuid().ToString("n")[..8];
        var full = Path.Combine(project.Root, stepFile);
        var scratch = Path.Combine(project.Root, ".orchest", "runs", runId);
        var output = Path.Combine(project.Root, ".orchest", "pipelines", "ppl", "data", "step-1", runId + "-1");
        Directory.CreateDirectory(output);
        Directory.CreateDirectory(scratch);
        File.WriteAllText(Path.Combine(scratch, "pipeline.json"), pipelineJson ?? "{}");
        return new StepLaunch
        {
            RunId = runId,
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
                RunUuid = runId,
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
            Environment = environment,
        };
    }

    /// <summary>Writes an environment in Orchest's format into the project and reads it back as the engine does.</summary>
    public static EnvironmentDefinition Environment(TempProject project, string baseImage, string setupScript, string? uuid = null)
    {
        uuid ??= Guid.NewGuid().ToString();
        var properties = $$"""{"uuid": "{{uuid}}", "name": "test env {{uuid[..8]}}", "language": "python", "base_image": "{{baseImage}}", "gpu_support": false}""";
        project.Write($".orchest/environments/{uuid}/properties.json", properties);
        project.Write($".orchest/environments/{uuid}/setup_script.sh", setupScript);
        return EnvironmentDefinition.Parse(uuid, properties, setupScript).Environment!;
    }
}
