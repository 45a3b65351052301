using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Orchest.Functions.Api;
using Orchest.Functions.Api.Contracts;
using Orchest.Functions.Projects;
using Orchest.Functions.Ui.Pages;
using Orchest.Functions.Ui.Views;
using Orchest.Git;

namespace Orchest.Functions.Ui;

/// <summary>
/// <c>/projects/{project}/runs/new</c>: choose a pipeline (drawn as its graph), the run type, steps and
/// parameters; the form posts to the API's run creation, so the UI accepts exactly what the API accepts.
/// </summary>
internal static class RunForms
{
    public static async Task<IResult> NewAsync(
        string project, string? pipeline, string? @ref, TableProjectRegistry registry, ProjectPipelines pipelines, CancellationToken cancellationToken)
    {
        if (!TableProjectRegistry.IsValidId(project) || await registry.GetAsync(project, cancellationToken) is not { } found)
        {
            return UiPage.NotFound($"There is no project \"{project}\".");
        }

        return UiPage.Render<NewRunPage>(new { Model = await ModelAsync(found, pipeline, @ref, null, pipelines, cancellationToken) });
    }

    public static async Task<IResult> StartAsync(
        string project, HttpContext http, TableProjectRegistry registry, ProjectPipelines pipelines, RunStarter starter, ILogger<RunStarter> logger)
    {
        var cancellationToken = http.RequestAborted;
        if (!TableProjectRegistry.IsValidId(project) || await registry.GetAsync(project, cancellationToken) is not { } found)
        {
            return UiPage.NotFound($"There is no project \"{project}\".");
        }

        var form = await http.Request.ReadFormAsync(cancellationToken);
        var entered = new NewRunEntry(
            Blank(form["pipeline"]), Blank(form["ref"]), Blank(form["run_type"]) ?? "full",
            form["steps"].OfType<string>().ToList(), form["parameters"].ToString());
        JsonObject? parameters = null;
        if (entered.Parameters.Trim().Length > 0)
        {
            try
            {
                parameters = JsonNode.Parse(entered.Parameters) as JsonObject;
            }
            catch (JsonException)
            {
                // Said below.
            }

            if (parameters is null)
            {
                return await InvalidAsync(found, entered, ["\"Parameters\" must be a JSON object, e.g. {\"report_title\": \"Q3\"}."], pipelines, cancellationToken);
            }
        }

        var request = new CreateRunRequest
        {
            Pipeline = entered.Pipeline,
            Ref = entered.Ref,
            RunType = entered.RunType,
            Steps = entered.RunType == "full" ? null : entered.Steps,
            Parameters = parameters,
        };
        var result = await RunCreation.CreateAsync(project, request, registry, pipelines, starter, logger, cancellationToken);
        return result is Accepted<RunResponse> { Value: { } run }
            ? UiPage.SeeOther($"/runs/{run.Id}")
            : await InvalidAsync(found, entered, UiProblems.Messages(result), pipelines, cancellationToken);
    }

    private static async Task<IResult> InvalidAsync(
        ProjectEntry project, NewRunEntry entered, IReadOnlyList<string> errors, ProjectPipelines pipelines, CancellationToken cancellationToken)
    {
        var model = await ModelAsync(project, entered.Pipeline, entered.Ref, entered, pipelines, cancellationToken);
        return UiPage.Render<NewRunPage>(new { Model = model with { Errors = errors } }, StatusCodes.Status400BadRequest);
    }

    private static async Task<NewRunModel> ModelAsync(
        ProjectEntry project, string? pipeline, string? reference, NewRunEntry? entered, ProjectPipelines pipelines, CancellationToken cancellationToken)
    {
        var model = new NewRunModel { Project = project, Ref = reference, Entered = entered };
        try
        {
            var listing = await pipelines.ListAsync(project.Id, reference, cancellationToken);
            model = model with { Listing = listing };
            pipeline ??= listing.Pipelines.Count(p => p.IsValid) == 1 ? listing.Pipelines.First(p => p.IsValid).Path : null;
            if (pipeline is not null && await pipelines.ReadAsync(project.Id, listing.Commit, pipeline, cancellationToken) is { Read.Pipeline: { } definition })
            {
                model = model with { Pipeline = definition, Layout = GraphLayout.Of(definition) };
            }
            else if (pipeline is not null)
            {
                model = model with { Errors = [$"Pipeline \"{pipeline}\" does not exist or cannot be read at commit {StatusText.ShortCommit(listing.Commit)}."] };
            }
        }
        catch (Exception ex) when (ex is GitRepositoryException or GitRefNotFoundException)
        {
            model = model with { Errors = [ex.Message] };
        }

        return model;
    }

    private static string? Blank(Microsoft.Extensions.Primitives.StringValues value) =>
        string.IsNullOrWhiteSpace(value) ? null : value.ToString().Trim();
}
