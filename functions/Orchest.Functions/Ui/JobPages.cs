using Orchest.Functions.Projects;
using Orchest.Functions.Ui.Pages;

namespace Orchest.Functions.Ui;

/// <summary>
/// <c>/projects/{project}/jobs</c>. Jobs (issue 11) are built on another branch: the page asks this host's
/// routing whether a jobs API is mapped and says plainly when it is not, so the navigation is in place
/// and the page gains its table when the API lands.
/// </summary>
internal static class JobPages
{
    public const string JobsRoute = "/api/projects/{project}/jobs";

    public static async Task<IResult> ShowAsync(string project, TableProjectRegistry registry, EndpointDataSource endpoints, CancellationToken cancellationToken)
    {
        if (!TableProjectRegistry.IsValidId(project) || await registry.GetAsync(project, cancellationToken) is not { } found)
        {
            return UiPage.NotFound($"There is no project \"{project}\".");
        }

        var available = endpoints.Endpoints.OfType<RouteEndpoint>()
            .Any(e => string.Equals(e.RoutePattern.RawText?.TrimEnd('/'), JobsRoute, StringComparison.OrdinalIgnoreCase));
        return UiPage.Render<JobsPage>(new { Project = found, Available = available });
    }
}
