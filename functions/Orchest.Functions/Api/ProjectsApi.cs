using Microsoft.AspNetCore.Http.HttpResults;
using Orchest.Functions.Api.Contracts;
using Orchest.Functions.Hosting;
using Orchest.Functions.Projects;
using Orchest.Git;

namespace Orchest.Functions.Api;

/// <summary><c>/api/projects</c>: register repositories as projects, list their pipelines at a ref.</summary>
internal static class ProjectsApi
{
    public static RouteGroupBuilder MapProjectsApi(this RouteGroupBuilder api)
    {
        var projects = api.MapGroup("/projects").WithTags("projects");
        projects.MapPost("/", CreateAsync).WithName("CreateProject");
        projects.MapGet("/", ListAsync).WithName("ListProjects");
        projects.MapGet("/{project}", GetAsync).WithName("GetProject");
        projects.MapDelete("/{project}", DeleteAsync).WithName("DeleteProject");
        projects.MapGet("/{project}/pipelines", ListPipelinesAsync).WithName("ListPipelines");
        return api;
    }

    internal static async Task<IResult> CreateAsync(
        CreateProjectRequest? body, TableProjectRegistry registry, ProjectMirrors mirrors, GitCredentials credentials,
        TimeProvider clock, ILogger<TableProjectRegistry> logger, CancellationToken cancellationToken)
    {
        var errors = Validate(body);
        if (errors.Count > 0)
        {
            return ApiProblems.Invalid("The project is not valid", errors);
        }

        var project = new ProjectEntry(
            Guid.CreateVersion7().ToString(), body!.Name!.Trim(), body.Repository!.Trim(),
            string.IsNullOrWhiteSpace(body.Branch) ? "main" : body.Branch.Trim(),
            string.IsNullOrWhiteSpace(body.Credential) ? null : body.Credential.Trim(), clock.GetUtcNow(),
            string.IsNullOrWhiteSpace(body.WebhookSecret) ? null : body.WebhookSecret.Trim());
        try
        {
            credentials.Find(project.Id, project.Credential);
        }
        catch (GitRepositoryException ex)
        {
            return ApiProblems.Invalid("The project is not valid", [ex.Message]);
        }

        await registry.CreateAsync(project, cancellationToken);
        try
        {
            // Registering a repository nobody can read helps no one: clone it now, and roll back if that fails.
            await mirrors.ResolveAsync(project.Id, project.Branch, cancellationToken);
        }
        catch (Exception ex) when (ex is GitRepositoryException or GitRefNotFoundException)
        {
            await registry.DeleteAsync(project.Id, CancellationToken.None);
            return ApiProblems.Invalid("The repository cannot be used", [ex.Message]);
        }

        HostLogs.ProjectRegistered(logger, project.Id, project.Name);
        return TypedResults.Created($"/api/projects/{project.Id}", ToResponse(project));
    }

    internal static async Task<Ok<IReadOnlyList<ProjectResponse>>> ListAsync(TableProjectRegistry registry, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<ProjectResponse>>((await registry.ListAsync(cancellationToken)).Select(ToResponse).ToList());

    internal static async Task<IResult> GetAsync(string project, TableProjectRegistry registry, CancellationToken cancellationToken) =>
        await registry.GetAsync(project, cancellationToken) is { } found
            ? TypedResults.Ok(ToResponse(found))
            : ProjectNotFound(project);

    internal static async Task<IResult> DeleteAsync(string project, TableProjectRegistry registry, CancellationToken cancellationToken) =>
        await registry.DeleteAsync(project, cancellationToken) ? TypedResults.NoContent() : ProjectNotFound(project);

    internal static async Task<IResult> ListPipelinesAsync(
        string project, string? @ref, TableProjectRegistry registry, ProjectPipelines pipelines, CancellationToken cancellationToken)
    {
        if (await registry.GetAsync(project, cancellationToken) is null)
        {
            return ProjectNotFound(project);
        }

        var listing = await pipelines.ListAsync(project, @ref, cancellationToken);
        return TypedResults.Ok(new
        {
            commit = listing.Commit,
            pipelines = listing.Pipelines.Select(p => new PipelineResponse(
                p.Path, p.Uuid, p.Name, p.Uuid is null ? null : p.StepCount, p.Problems.Select(x => x.Message).ToList())).ToList(),
        });
    }

    internal static IResult ProjectNotFound(string project) => ApiProblems.NotFound($"Project \"{project}\" does not exist.");

    private static List<string> Validate(CreateProjectRequest? body)
    {
        var errors = new List<string>();
        if (body is null)
        {
            return ["The body must be a JSON object with \"name\", \"repository\" and optionally \"branch\" and \"credential\"."];
        }

        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Trim().Length > 100)
        {
            errors.Add("\"name\" is required and at most 100 characters.");
        }

        if (string.IsNullOrWhiteSpace(body.Repository))
        {
            errors.Add("\"repository\" is required: an https or ssh URL, a file:// URL or a local path.");
        }
        else if (Path.IsPathRooted(body.Repository) && !Directory.Exists(body.Repository))
        {
            errors.Add($"\"repository\" \"{body.Repository}\" is a local path that does not exist on this host.");
        }
        else if (RepositoryUrl.HasEmbeddedCredentials(body.Repository))
        {
            errors.Add("\"repository\" must not contain credentials: configure them under Orchest:GitCredentials:<name> and pass \"credential\": \"<name>\".");
        }

        if (body.Branch is { } branch && (branch.Trim().Length == 0 || branch.Contains("..", StringComparison.Ordinal) || branch.Any(char.IsWhiteSpace)))
        {
            errors.Add($"\"branch\" \"{branch}\" is not a valid branch name.");
        }

        if (body.WebhookSecret is { } secret && (secret.Trim().Length is 0 or > 100 || secret.Any(c => c == ':' || char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            errors.Add("\"webhook_secret\" must name a secret configured under Orchest:WebhookSecrets:<name> (1-100 characters, no ':' or spaces), not be the secret itself.");
        }

        return errors;
    }

    private static ProjectResponse ToResponse(ProjectEntry p) => new(p.Id, p.Name, p.Repository, p.Branch, p.Credential, p.Created, p.WebhookSecret);
}
