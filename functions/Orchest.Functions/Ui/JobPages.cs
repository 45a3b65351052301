using Orchest.Engine.Jobs;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;
using Orchest.Functions.Api;
using Orchest.Functions.Jobs;
using Orchest.Functions.Projects;
using Orchest.Functions.Ui.Pages;
using Orchest.Functions.Ui.Views;

namespace Orchest.Functions.Ui;

/// <summary>
/// <c>/projects/{project}/jobs</c> (a project's jobs with their latest runs) and <c>/jobs/{job}</c> (a job's
/// definition, ticks and runs). They read the stores the jobs API reads; the buttons and the create form
/// are in <see cref="JobForms"/>.
/// </summary>
internal static class JobPages
{
    /// <summary>Runs shown per job on the project's jobs page.</summary>
    private const int RunsPerJob = 5;

    /// <summary>Runs shown on a job's page (older ones a link away).</summary>
    private const int RunsShown = 25;

    public static async Task<IResult> ListAsync(
        string project, TableProjectRegistry registry, IJobStore jobs, IRunProjection runs, CancellationToken cancellationToken)
    {
        if (!TableProjectRegistry.IsValidId(project) || await registry.GetAsync(project, cancellationToken) is not { } found)
        {
            return UiPage.NotFound($"There is no project \"{project}\".");
        }

        var list = await jobs.ListAsync(project, cancellationToken);
        var rows = await Task.WhenAll(list.Select(async job =>
        {
            var (entries, _) = await jobs.ListRunsAsync(job.Definition.Id, RunsPerJob, null, cancellationToken);
            return new JobRow(job, await ReadRunsAsync(runs, entries, cancellationToken));
        }));
        return UiPage.Render<JobsPage>(new { Project = found, Jobs = rows });
    }

    public static async Task<IResult> ShowAsync(
        string job, string? after, IJobStore jobs, TableProjectRegistry registry, IRunProjection runs, JobOptions options,
        CancellationToken cancellationToken) =>
        await PageAsync(job, after, [], StatusCodes.Status200OK, jobs, registry, runs, options, cancellationToken)
        ?? UiPage.NotFound($"There is no job \"{job}\" (it may have been deleted).");

    /// <summary>The job's page, with <paramref name="problems"/> said at its top; null when there is no such job.</summary>
    internal static async Task<IResult?> PageAsync(
        string job, string? after, IReadOnlyList<string> problems, int status, IJobStore jobs, TableProjectRegistry registry,
        IRunProjection runs, JobOptions options, CancellationToken cancellationToken)
    {
        if (await JobsApi.FindWithHistoryAsync(jobs, job, options, cancellationToken) is not ({ } found, var ticks))
        {
            return null;
        }

        (IReadOnlyList<JobRunEntry> entries, string? token) page;
        try
        {
            page = await jobs.ListRunsAsync(job, RunsShown, after, cancellationToken);
        }
        catch (ArgumentException)
        {
            // A stale or edited "older runs" link: show the newest.
            page = await jobs.ListRunsAsync(job, RunsShown, null, cancellationToken);
        }

        var project = await registry.GetAsync(found.Definition.ProjectId, cancellationToken);
        var model = new JobPageModel
        {
            Job = found,
            ProjectName = project?.Name ?? found.Definition.ProjectId,
            Ticks = ticks,
            Runs = await ReadRunsAsync(runs, page.entries, cancellationToken),
            MoreRuns = page.token,
            Problems = problems,
        };
        return UiPage.Render<JobPage>(new { Model = model }, status);
    }

    private static async Task<IReadOnlyList<RunRecord>> ReadRunsAsync(
        IRunProjection runs, IReadOnlyList<JobRunEntry> entries, CancellationToken cancellationToken)
    {
        // A run retention deleted (or not yet created) is left out.
        var records = await Task.WhenAll(entries.Select(e => runs.GetAsync(e.RunId, cancellationToken)));
        return records.OfType<RunSnapshot>().Select(r => r.Run).ToList();
    }
}
