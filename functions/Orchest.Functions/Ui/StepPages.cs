using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;
using Orchest.Functions.Api;
using Orchest.Functions.Projects;
using Orchest.Functions.Ui.Pages;
using Orchest.Storage.Azure.Blobs;

namespace Orchest.Functions.Ui;

/// <summary><c>/runs/{run}/steps/{step}/...</c>: a step's log (whole, or from an offset for the live tail), an output to download, the executed notebook.</summary>
internal static class StepPages
{
    /// <summary>At most this much log per tail request; the script asks again at once for the rest.</summary>
    private const int TailChunk = 512 * 1024;

    /// <summary>
    /// The log as plain text (never HTML: a step that prints markup shows markup). With <paramref name="offset"/>
    /// only what follows it, whole characters, and headers saying where to go on and whether the step ended.
    /// </summary>
    public static async Task<IResult> LogAsync(
        string run, string step, long? offset, HttpContext http, IRunProjection runs, BlobArtifactStore artifacts, CancellationToken cancellationToken)
    {
        if (await FindAsync(runs, run, step, cancellationToken) is not { } found)
        {
            return UiPage.NotFound($"Run \"{run}\" has no step \"{step}\".");
        }

        // Read the status before the log: what was written before a step ended is then sure to be sent.
        var status = found.Status.ToWire();
        var stream = await artifacts.ReadLogAsync(run, found.Uuid, Math.Max(0, offset ?? 0), cancellationToken);
        if (offset is null)
        {
            return stream is null ? TypedResults.Text("", "text/plain; charset=utf-8") : TypedResults.Stream(stream, "text/plain; charset=utf-8");
        }

        var bytes = new byte[TailChunk];
        var length = 0;
        if (stream is not null)
        {
            await using (stream)
            {
                int read;
                while (length < bytes.Length && (read = await stream.ReadAsync(bytes.AsMemory(length), cancellationToken)) > 0)
                {
                    length += read;
                }
            }
        }

        var complete = Utf8Text.CompleteLength(bytes.AsSpan(0, length));
        http.Response.Headers["X-Log-Offset"] = (offset.Value + complete).ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["X-Step-Status"] = status;
        http.Response.Headers["X-Log-More"] = complete == TailChunk || length > complete ? "true" : "false";
        return TypedResults.Text(Utf8Text.Decode(bytes.AsSpan(0, complete)), "text/plain; charset=utf-8");
    }

    /// <summary>An output's stored bytes as a download (the API's own handler finds and streams it).</summary>
    public static async Task<IResult> OutputAsync(
        string run, string step, string name, HttpContext http, IRunProjection runs, BlobArtifactStore artifacts, CancellationToken cancellationToken)
    {
        var result = await StepArtifactsApi.OutputAsync(run, step, name, runs, artifacts, cancellationToken);
        if (result is not FileStreamHttpResult file)
        {
            return UiPage.Error(UiProblems.Status(result), "No such output", string.Join(" ", UiProblems.Messages(result)));
        }

        var extension = file.ContentType switch
        {
            "application/json" => ".json",
            "application/vnd.apache.arrow.stream" => ".arrow",
            _ => ".bin",
        };
        http.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = name + extension }.ToString();
        return result;
    }

    public static async Task<IResult> NotebookAsync(
        string run, string step, IRunProjection runs, BlobArtifactStore artifacts, NotebookReader reader, TableProjectRegistry registry, CancellationToken cancellationToken)
    {
        if (await RunsApi.FindAsync(runs, run, cancellationToken) is not { } snapshot || snapshot.FindStep(step) is not { } found)
        {
            return UiPage.NotFound($"Run \"{run}\" has no step \"{step}\".");
        }

        await using var stream = await artifacts.OpenExecutedNotebookAsync(run, found.Uuid, cancellationToken);
        var notebook = stream is null ? null : await reader.ReadAsync(stream, cancellationToken);
        if (notebook is null)
        {
            return UiPage.NotFound(stream is null
                ? $"Step \"{found.Title}\" has no executed notebook{(found.Status.IsTerminal() ? "" : " yet: it is saved when the step ends")}."
                : $"The executed notebook of step \"{found.Title}\" is not a notebook document.");
        }

        var project = await registry.GetAsync(snapshot.Run.ProjectId, cancellationToken);
        return UiPage.Render<NotebookPage>(new { Run = snapshot.Run, Step = found, ProjectName = project?.Name ?? snapshot.Run.ProjectId, Notebook = notebook });
    }

    private static async Task<StepRecord?> FindAsync(IRunProjection runs, string run, string step, CancellationToken cancellationToken) =>
        (await RunsApi.FindAsync(runs, run, cancellationToken))?.FindStep(step);
}
