using System.Text.Json.Nodes;
using Orchest.Engine.Runs;
using Orchest.Functions.Api.Contracts;
using Orchest.Functions.Hosting;
using Orchest.Functions.Projects;
using Orchest.Git;
using Orchest.Pipelines;

namespace Orchest.Functions.Api;

/// <summary>
/// <c>POST /api/projects/{project}/runs</c>: resolves the ref, reads and validates the pipeline at that
/// commit, plans the run and starts it. Every problem is reported at once; nothing is stored unless
/// the run is valid.
/// </summary>
internal static class RunCreation
{
    public static async Task<IResult> CreateAsync(
        string project, CreateRunRequest? body, TableProjectRegistry registry, ProjectPipelines pipelines,
        RunStarter starter, ILogger<RunStarter> logger, CancellationToken cancellationToken)
    {
        if (await registry.GetAsync(project, cancellationToken) is null)
        {
            return ProjectsApi.ProjectNotFound(project);
        }

        body ??= new CreateRunRequest();
        var errors = new List<string>();
        var runType = RunType.Full;
        if (body.RunType is { } text && !RunGraphBuilder.TryParseRunType(text, out runType))
        {
            errors.Add($"\"run_type\" \"{text}\" is not one of full, selection, incoming.");
        }

        EnvironmentNames.Check(body.Env, errors);

        var load = await PipelineAtRef.LoadAsync(pipelines, project, body.Ref, body.Pipeline, cancellationToken);
        errors.AddRange(load.RequestProblems);
        if (load.Read is not { } read || errors.Count > 0)
        {
            return ApiProblems.Invalid("The run request is not valid", errors);
        }

        errors.AddRange(load.PipelineProblems);
        if (load.Pipeline is { } declaring && starter.ServicesProblem(declaring) is { } services)
        {
            errors.Add(services);
        }

        if (load.Pipeline is not { } pipeline)
        {
            return ApiProblems.Invalid("The pipeline is not valid", errors);
        }

        var graph = RunGraphBuilder.Build(pipeline, runType, body.Steps ?? []);
        errors.AddRange(graph.Problems.Select(p => p.Message));
        var stepParameters = ResolveStepParameters(pipeline, body.StepParameters, errors);
        if (errors.Count > 0 || graph.Graph is null)
        {
            return ApiProblems.Invalid("The run request is not valid", errors);
        }

        var request = new RunRequest
        {
            ProjectId = project,
            Workspace = GitWorkspaceReference.Format(project, read.Project.Commit),
            Commit = read.Project.Commit,
            RunType = runType,
            Steps = body.Steps ?? [],
            PipelineParameters = body.Parameters,
            StepParameters = stepParameters,
            EnvironmentVariables = body.Env ?? [],
        };
        var snapshot = await starter.StartAsync(request, pipeline, graph.Graph, cancellationToken);
        HostLogs.RunCreated(logger, snapshot.Run.Id, project, read.Project.Commit);
        return TypedResults.Accepted($"/api/runs/{snapshot.Run.Id}", RunResponse.From(snapshot));
    }

    private static Dictionary<string, JsonObject>? ResolveStepParameters(
        PipelineDefinition pipeline, Dictionary<string, JsonObject>? byReference, List<string> errors)
    {
        if (byReference is null)
        {
            return null;
        }

        var resolved = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var (reference, values) in byReference)
        {
            var matches = pipeline.FindSteps(reference);
            if (matches.Count != 1)
            {
                errors.Add(matches.Count == 0
                    ? $"\"step_parameters\": {pipeline.Path} has no step \"{reference}\"."
                    : $"\"step_parameters\": title \"{reference}\" is shared by several steps; use a uuid.");
                continue;
            }

            resolved[matches[0].Uuid] = values;
        }

        return resolved;
    }
}
