using Microsoft.AspNetCore.Http.HttpResults;
using Orchest.Engine.Ports;
using Orchest.Functions.Api;
using Orchest.Functions.Api.Contracts;
using Orchest.Functions.Projects;
using Orchest.Functions.Ui.Pages;
using Orchest.Git;

namespace Orchest.Functions.Ui;

/// <summary><c>/projects</c>: the registered projects, adding one, and a project's pipelines and recent runs.</summary>
internal static class ProjectPages
{
    private const int RecentRuns = 25;

    public static async Task<IResult> ListAsync(TableProjectRegistry registry, CancellationToken cancellationToken) =>
        UiPage.Render<ProjectsPage>(new { Projects = await registry.ListAsync(cancellationToken) });

    public static async Task<IResult> AddAsync(
        HttpContext http, TableProjectRegistry registry, ProjectMirrors mirrors, GitCredentials credentials,
        TimeProvider clock, ILogger<TableProjectRegistry> logger)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var request = new CreateProjectRequest(
            form["name"].ToString(), form["repository"].ToString(), Blank(form["branch"]), Blank(form["credential"]));
        var result = await ProjectsApi.CreateAsync(request, registry, mirrors, credentials, clock, logger, http.RequestAborted);
        if (result is Created<ProjectResponse> { Value: { } created })
        {
            return UiPage.SeeOther($"/projects/{created.Id}");
        }

        return UiPage.Render<ProjectsPage>(
            new { Projects = await registry.ListAsync(http.RequestAborted), Entered = request, Errors = UiProblems.Messages(result) },
            UiProblems.Status(result));
    }

    public static async Task<IResult> ShowAsync(
        string project, string? after, TableProjectRegistry registry, ProjectPipelines pipelines, IRunProjection runs, CancellationToken cancellationToken)
    {
        if (!TableProjectRegistry.IsValidId(project) || await registry.GetAsync(project, cancellationToken) is not { } found)
        {
            return UiPage.NotFound($"There is no project \"{project}\" (it may have been deleted).");
        }

        PipelineListing? listing = null;
        string? listingError = null;
        try
        {
            listing = await pipelines.ListAsync(project, null, cancellationToken);
        }
        catch (Exception ex) when (ex is GitRepositoryException or GitRefNotFoundException)
        {
            // The runs are still worth showing when the repository is unreachable.
            listingError = ex.Message;
        }

        RunPage page;
        var newest = after is null;
        try
        {
            page = await runs.ListAsync(new RunQuery(project, PageSize: RecentRuns, ContinuationToken: after), cancellationToken);
        }
        catch (ArgumentException)
        {
            page = await runs.ListAsync(new RunQuery(project, PageSize: RecentRuns), cancellationToken);
            newest = true;
        }

        return UiPage.Render<ProjectPage>(new { Project = found, Listing = listing, ListingError = listingError, Runs = page, Newest = newest });
    }

    private static string? Blank(Microsoft.Extensions.Primitives.StringValues value) =>
        string.IsNullOrWhiteSpace(value) ? null : value.ToString();
}
