using Orchest.Engine.Ports;
using Orchest.Engine.Runs;
using Orchest.Functions.Api.Contracts;
using Orchest.Storage.Azure.Blobs;

namespace Orchest.Functions.Api;

/// <summary><c>/api/runs/{run}/steps/{step}/...</c>: a step's log (optionally followed live), outputs and executed notebook.</summary>
internal static class StepArtifactsApi
{
    private static readonly TimeSpan FollowPoll = TimeSpan.FromMilliseconds(300);

    public static RouteGroupBuilder MapStepArtifactsApi(this RouteGroupBuilder api)
    {
        var steps = api.MapGroup("/runs/{run}/steps/{step}").WithTags("steps");
        steps.MapGet("/logs", LogsAsync).WithName("GetStepLog");
        steps.MapGet("/outputs", OutputsAsync).WithName("ListStepOutputs");
        steps.MapGet("/outputs/{name}", OutputAsync).WithName("GetStepOutput");
        steps.MapGet("/notebook", NotebookAsync).WithName("GetExecutedNotebook");
        return api;
    }

    internal static async Task LogsAsync(
        string run, string step, bool? follow, HttpContext http, IRunProjection runs, BlobArtifactStore artifacts, TimeProvider clock)
    {
        var aborted = http.RequestAborted;
        var (found, problem) = await FindStepAsync(runs, run, step, aborted);
        if (found is null)
        {
            await problem!.ExecuteAsync(http);
            return;
        }

        http.Response.ContentType = "text/plain; charset=utf-8";
        long offset = 0;
        while (!aborted.IsCancellationRequested)
        {
            var wasTerminal = found.Step.Status.IsTerminal();
            await using (var stream = await artifacts.ReadLogAsync(run, found.Step.Uuid, offset, aborted))
            {
                if (stream is not null)
                {
                    var before = offset;
                    var buffer = new byte[81920];
                    int read;
                    while ((read = await stream.ReadAsync(buffer, aborted)) > 0)
                    {
                        await http.Response.Body.WriteAsync(buffer.AsMemory(0, read), aborted);
                        offset += read;
                    }

                    if (offset > before)
                    {
                        await http.Response.Body.FlushAsync(aborted);
                    }
                }
            }

            // Follow until the step has ended and everything written before that was sent.
            if (follow != true || wasTerminal)
            {
                return;
            }

            await Task.Delay(FollowPoll, clock, aborted);
            found = (await FindStepAsync(runs, run, step, aborted)).Found ?? found;
        }
    }

    internal static async Task<IResult> OutputsAsync(
        string run, string step, IRunProjection runs, BlobArtifactStore artifacts, HttpContext http, CancellationToken cancellationToken)
    {
        var (found, problem) = await FindStepAsync(runs, run, step, cancellationToken);
        if (found is null)
        {
            return problem!;
        }

        if (found.Step.OutputSet is not { } set)
        {
            return found.Step.Status == ExecutionStatus.Success
                ? TypedResults.Ok(Array.Empty<OutputResponse>())
                : ApiProblems.NotFound($"Step \"{found.Step.Title}\" of run {run} has no committed outputs (it is {found.Step.Status.ToWire()}).");
        }

        var outputs = await artifacts.ListOutputsAsync(Key(found), set, cancellationToken);
        var baseUrl = $"{http.Request.PathBase}/api/runs/{run}/steps/{found.Step.Uuid}/outputs/";
        return TypedResults.Ok(outputs.Select(o => new OutputResponse(
            o.Name, o.Serialization, o.Size, o.Timestamp, baseUrl + Uri.EscapeDataString(o.Name ?? "unnamed"))).ToList());
    }

    internal static async Task<IResult> OutputAsync(
        string run, string step, string name, IRunProjection runs, BlobArtifactStore artifacts, CancellationToken cancellationToken)
    {
        var (found, problem) = await FindStepAsync(runs, run, step, cancellationToken);
        if (found?.OutputSet is null)
        {
            return problem ?? ApiProblems.NotFound($"Step \"{found!.Step.Title}\" of run {run} has no committed outputs (it is {found.Step.Status.ToWire()}).");
        }

        var wanted = name == "unnamed" ? null : name;
        var outputs = await artifacts.ListOutputsAsync(Key(found), found.Step.OutputSet!, cancellationToken);
        if (outputs.FirstOrDefault(o => o.Name == wanted) is not { } output
            || await artifacts.OpenOutputAsync(Key(found), found.Step.OutputSet!, wanted, cancellationToken) is not { } stream)
        {
            return ApiProblems.NotFound($"Step \"{found.Step.Title}\" of run {run} has no output named \"{name}\".");
        }

        return TypedResults.Stream(stream, output.ContentType);
    }

    internal static async Task<IResult> NotebookAsync(
        string run, string step, IRunProjection runs, BlobArtifactStore artifacts, CancellationToken cancellationToken)
    {
        var (found, problem) = await FindStepAsync(runs, run, step, cancellationToken);
        if (found is null)
        {
            return problem!;
        }

        return await artifacts.OpenExecutedNotebookAsync(run, found.Step.Uuid, cancellationToken) is { } stream
            ? TypedResults.Stream(stream, "application/x-ipynb+json")
            : ApiProblems.NotFound($"Step \"{found.Step.Title}\" of run {run} has no executed notebook.");
    }

    /// <summary>A step of a run by uuid or title (as the CLI accepts them); the problem to answer when there is none or the title is ambiguous.</summary>
    private static async Task<(FoundStep? Found, IResult? Problem)> FindStepAsync(IRunProjection runs, string run, string step, CancellationToken cancellationToken)
    {
        if (await RunsApi.FindAsync(runs, run, cancellationToken) is not { } snapshot)
        {
            return (null, NotFound(run, step));
        }

        if (snapshot.FindStep(step) is { } byUuid)
        {
            return (new FoundStep(snapshot.Run, byUuid), null);
        }

        var byTitle = snapshot.Steps.Where(s => string.Equals(s.Title, step, StringComparison.Ordinal)).ToList();
        return byTitle.Count switch
        {
            1 => (new FoundStep(snapshot.Run, byTitle[0]), null),
            0 => (null, NotFound(run, step)),
            _ => (null, ApiProblems.Invalid(
                "The step is ambiguous", [$"Title \"{step}\" is shared by {byTitle.Count} steps of run {run}; use a uuid ({string.Join(", ", byTitle.Select(s => s.Uuid))})."])),
        };
    }

    private static StepKey Key(FoundStep found) => new(found.Run.ProjectId, found.Run.PipelineUuid, found.Step.Uuid);

    private static IResult NotFound(string run, string step) =>
        ApiProblems.NotFound($"Run \"{run}\" has no step \"{step}\" (or the run does not exist).");

    private sealed record FoundStep(RunRecord Run, StepRecord Step)
    {
        public string? OutputSet => Step.OutputSet;
    }
}
