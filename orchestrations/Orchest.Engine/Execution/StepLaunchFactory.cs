using System.Collections.Concurrent;
using System.Text;
using Orchest.Engine.Ports;
using Orchest.Engine.Projects;
using Orchest.Engine.Runs;
using Orchest.Pipelines;

namespace Orchest.Engine.Execution;

/// <summary>
/// Builds what a runner needs for one step attempt: folders, the effective pipeline file, the step
/// context with this run's (or the latest committed) parent outputs, the output set to write to.
/// </summary>
internal sealed class StepLaunchFactory(IArtifactStore artifacts, IRunWorkspaces workspaces)
{
    private readonly ConcurrentDictionary<string, PipelineDefinition> _pipelines = new(StringComparer.Ordinal);

    // A run's environments are read once per host, not once per step.
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, EnvironmentDefinition>> _environments = new(StringComparer.Ordinal);

    public async Task<StepLaunch> CreateAsync(StepAttemptRequest request, CancellationToken cancellationToken)
    {
        var (run, step, definition) = (request.Run, request.Step, request.Definition);
        var pipeline = _pipelines.GetOrAdd(run.Id, _ => ParseEffective(run, definition));
        var pipelineStep = pipeline.GetStep(step.Uuid)
            ?? throw new InvalidOperationException($"Run {run.Id}: step {step.Uuid} is not in its pipeline definition.");
        var workspace = await workspaces.AcquireAsync(run, definition, cancellationToken);

        var outputSet = StepAttempts.OutputSetName(run.Id, step.Attempt);
        var output = await artifacts.PrepareOutputSetAsync(new StepKey(run.ProjectId, run.PipelineUuid, step.Uuid), outputSet, cancellationToken);
        var inputs = new List<StepInput>();
        foreach (var parentUuid in pipelineStep.IncomingConnections)
        {
            var title = pipeline.GetStep(parentUuid)?.Title ?? parentUuid;
            var parent = new StepKey(run.ProjectId, run.PipelineUuid, parentUuid);
            var set = request.ParentOutputSets.TryGetValue(parentUuid, out var inRun)
                ? inRun
                : await artifacts.GetLatestOutputSetAsync(parent, run.Id, cancellationToken);
            inputs.Add(new StepInput(parentUuid, title, set is null ? null : artifacts.LocateOutputSet(parent, set)));
        }

        Directory.CreateDirectory(workspace.ScratchDirectory);
        var pipelineFile = Path.Combine(workspace.ScratchDirectory, "pipeline.json");
        if (!File.Exists(pipelineFile))
        {
            await AtomicFile.WriteAllTextAsync(pipelineFile, definition.PipelineJson, cancellationToken);
        }

        var stepFile = Path.GetFullPath(Path.Combine(workspace.Root, pipelineStep.ProjectPath ?? pipelineStep.FilePath));
        var target = new StepLogTarget(run.Id, run.ProjectId, run.PipelineUuid, step.Uuid, step.Title, step.Attempt);
        return new StepLaunch
        {
            RunId = run.Id,
            ProjectId = run.ProjectId,
            PipelineUuid = run.PipelineUuid,
            StepUuid = step.Uuid,
            StepTitle = step.Title,
            Attempt = step.Attempt,
            SessionType = run.SessionType,
            Kind = pipelineStep.Kind,
            WorkspaceRoot = workspace.Root,
            StepFile = stepFile,
            WorkingDirectory = Path.GetDirectoryName(stepFile) ?? workspace.Root,
            PipelineFile = pipelineFile,
            ContextFile = Path.Combine(workspace.ScratchDirectory, "steps", $"{step.Uuid}-{step.Attempt}.context.json"),
            Context = new StepContextDocument
            {
                RunUuid = run.Id,
                PipelineUuid = run.PipelineUuid,
                StepUuid = step.Uuid,
                StepTitle = step.Title,
                Attempt = step.Attempt,
                Output = output,
                Inputs = inputs,
                StepParameters = (System.Text.Json.Nodes.JsonObject)pipelineStep.Parameters.DeepClone(),
                PipelineParameters = (System.Text.Json.Nodes.JsonObject)pipeline.Parameters.DeepClone(),
            },
            DataDirectory = workspace.DataDirectory,
            ExecutedNotebookPath = artifacts.ExecutedNotebookPath(target),
            UserEnvironment = definition.EnvironmentVariables,
            Environment = string.IsNullOrEmpty(pipelineStep.Environment)
                ? null
                : _environments.GetOrAdd(run.Id, _ => new ProjectFolder(workspace.Root).LoadEnvironments().Environments)
                    .GetValueOrDefault(pipelineStep.Environment),
        };
    }

    public void Forget(string runId)
    {
        _pipelines.TryRemove(runId, out _);
        _environments.TryRemove(runId, out _);
    }

    private static PipelineDefinition ParseEffective(RunRecord run, RunDefinition definition)
    {
        var result = PipelineFile.Parse(definition.PipelineJson, run.PipelinePath);
        return result.Pipeline ?? throw new InvalidOperationException(
            new StringBuilder($"Run {run.Id}: its stored pipeline definition no longer parses: ")
                .AppendJoin("; ", result.Problems.Select(p => p.Message)).ToString());
    }
}
