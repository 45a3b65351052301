using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Orchest.Engine.Projects;
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
internal static partial class RunCreation
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

        foreach (var name in (body.Env ?? []).Keys.Where(n => !EnvironmentName().IsMatch(n)))
        {
            errors.Add($"\"env\" name \"{name}\" must be letters, digits, '-' and '_'.");
        }

        var path = body.Pipeline;
        if (path is null)
        {
            var listing = await pipelines.ListAsync(project, body.Ref, cancellationToken);
            if (listing.Pipelines.Count == 1)
            {
                path = listing.Pipelines[0].Path;
            }
            else
            {
                errors.Add(listing.Pipelines.Count == 0
                    ? $"Commit {listing.Commit} has no pipeline (*.orchest file)."
                    : $"\"pipeline\" is required: commit {listing.Commit} has {listing.Pipelines.Count} pipelines ({string.Join(", ", listing.Pipelines.Select(p => p.Path))}).");
            }
        }

        var read = path is null ? null : await pipelines.ReadAsync(project, body.Ref, path, cancellationToken);
        if (path is not null && read is null)
        {
            errors.Add($"Pipeline file \"{path}\" does not exist at that commit (or lies outside the project).");
        }

        if (read is null || errors.Count > 0)
        {
            return ApiProblems.Invalid("The run request is not valid", errors);
        }

        var (pipeline, problems) = PipelineCheck.Run(read.Project.Folder, read.Path);
        errors.AddRange(problems.Select(p => p.Message));
        if (pipeline is null)
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

    [GeneratedRegex("^[0-9a-zA-Z\\-_]+$")]
    private static partial Regex EnvironmentName();
}
