using Microsoft.AspNetCore.Http.HttpResults;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;
using Orchest.Functions.Api;
using Orchest.Functions.Api.Contracts;
using Orchest.Functions.Projects;
using Orchest.Functions.Ui.Pages;
using Orchest.Functions.Ui.Views;
using Orchest.Storage.Azure.Blobs;

namespace Orchest.Functions.Ui;

/// <summary>
/// <c>/runs/{run}</c>: a run as a live graph with its steps, the selected step's log, outputs and notebook;
/// cancelling it; and <c>/ui/runs/{run}/state</c>, what the page's script reads when the run's events say it changed
/// (and polls when the event stream cannot be had).
/// </summary>
internal static class RunPages
{
    /// <summary>The run page shows at most this much of a log's end (the whole log is one link away).</summary>
    private const int LogShown = 256 * 1024;

    public static async Task<IResult> ShowAsync(
        string run, string? step, IRunProjection runs, TableProjectRegistry registry, PipelineLayouts layouts,
        BlobArtifactStore artifacts, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await RunsApi.FindAsync(runs, run, cancellationToken) is not { } snapshot)
        {
            return UiPage.NotFound($"There is no run \"{run}\".");
        }

        var now = clock.GetUtcNow();
        var project = await registry.GetAsync(snapshot.Run.ProjectId, cancellationToken);
        var layout = await layouts.ForRunAsync(snapshot, cancellationToken);
        var views = snapshot.Steps.Select(s => StepView.From(s, now)).ToDictionary(s => s.Uuid, StringComparer.Ordinal);
        var selected = step is null ? null : snapshot.FindStep(step);
        var model = new RunPageModel
        {
            Run = snapshot.Run,
            ProjectName = project?.Name ?? snapshot.Run.ProjectId,
            Layout = layout,
            Steps = views,
            Duration = StatusText.Duration(snapshot.Run.Started, snapshot.Run.Finished, now),
        };
        if (selected is not null)
        {
            var (text, offset, truncated) = await LogTailAsync(artifacts, run, selected.Uuid, cancellationToken);
            model = model with
            {
                Selected = views[selected.Uuid],
                SelectedFile = selected.FilePath,
                Log = text,
                LogOffset = offset,
                LogTruncated = truncated,
                Outputs = selected.OutputSet is { } set
                    ? await artifacts.ListOutputsAsync(new StepKey(snapshot.Run.ProjectId, snapshot.Run.PipelineUuid, selected.Uuid), set, cancellationToken)
                    : [],
            };
        }
        else if (step is not null)
        {
            model = model with { Notice = $"This run has no step \"{step}\"." };
        }

        return UiPage.Render<RunDetailPage>(new { Model = model });
    }

    public static async Task<IResult> CancelAsync(
        string run, HttpContext http, IRunProjection runs, RunStarter starter, TimeProvider clock, CancellationToken cancellationToken)
    {
        var result = await RunsApi.CancelAsync(run, runs, starter, clock, cancellationToken);
        var step = (await http.Request.ReadFormAsync(cancellationToken))["step"].ToString();
        return result is Ok<RunResponse> or Accepted<RunResponse>
            ? UiPage.SeeOther(step.Length == 0 ? $"/runs/{run}" : $"/runs/{run}?step={Uri.EscapeDataString(step)}#step")
            : UiPage.Error(UiProblems.Status(result), "The run cannot be cancelled", string.Join(" ", UiProblems.Messages(result)));
    }

    /// <summary>The run's and its steps' status for the page's script; it asks again only while the run goes on.</summary>
    public static async Task<IResult> StateAsync(string run, IRunProjection runs, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await RunsApi.FindAsync(runs, run, cancellationToken) is not { } snapshot)
        {
            return RunsApi.RunNotFound(run);
        }

        var now = clock.GetUtcNow();
        var status = snapshot.Run.Status.ToWire();
        return TypedResults.Ok(new
        {
            status,
            now,
            icon = StatusText.Icon(status),
            terminal = StatusText.IsTerminal(status),
            cancel_requested = snapshot.Run.CancelRequested,
            duration = StatusText.Duration(snapshot.Run.Started, snapshot.Run.Finished, now),
            steps = snapshot.Steps.Select(s => StepView.From(s, now)).Select(s => new
            {
                uuid = s.Uuid,
                status = s.Status,
                icon = s.Icon,
                css = s.Css,
                attempt = s.Attempt,
                duration = s.Duration,
                started = s.Started,
                message = s.Message ?? "",
                label = s.Label,
                terminal = s.IsTerminal,
            }),
        });
    }

    /// <summary>The end of a step's log (whole UTF-8 characters) and the offset where the next read starts.</summary>
    private static async Task<(string Text, long Offset, bool Truncated)> LogTailAsync(
        BlobArtifactStore artifacts, string run, string step, CancellationToken cancellationToken)
    {
        await using var stream = await artifacts.ReadLogAsync(run, step, 0, cancellationToken);
        if (stream is null)
        {
            return ("", 0, false);
        }

        var kept = new MemoryStream();
        var buffer = new byte[81920];
        long total = 0;
        var truncated = false;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            kept.Write(buffer, 0, read);
            if (kept.Length > 2 * LogShown)
            {
                var tail = kept.ToArray()[^LogShown..];
                kept = new MemoryStream();
                kept.Write(tail);
                truncated = true;
            }
        }

        var bytes = kept.ToArray();
        if (bytes.Length > LogShown)
        {
            bytes = bytes[^LogShown..];
            truncated = true;
        }

        var complete = Utf8Text.CompleteLength(bytes);
        return (Utf8Text.Decode(bytes.AsSpan(0, complete), skipLeadingContinuation: truncated), total - (bytes.Length - complete), truncated);
    }
}
