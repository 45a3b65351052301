using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Orchest.Engine.Events;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;
using Orchest.Functions.Hosting;

namespace Orchest.Functions.Api;

/// <summary>
/// <c>GET /api/runs/{run}/events/stream</c>: a run's events as Server-Sent Events (README "The event
/// stream"). Every event of the run after the client's <c>Last-Event-ID</c> (all of them without one), in
/// order, each with its id, then an <c>end</c> event once the run ended. While a step runs and before its
/// <c>step.started</c> event exists (the orchestration decides it with the outcome), a <c>step-running</c>
/// event without an id says so, from the attempt row the step's host wrote; such notices are not replayed.
/// </summary>
internal sealed class RunEventStream(
    RunSnapshot run, long after, IRunProjection projection, RunEventReader reader, IStepAttemptFeed attempts,
    EventStreamOptions options, TimeProvider clock) : IResult
{
    /// <summary>Attempt rows are read again from this long before the newest one seen (server timestamps of concurrent writes interleave).</summary>
    private static readonly TimeSpan AttemptOverlap = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, int> _eventAttempts = new(StringComparer.Ordinal);
    private readonly HashSet<(string Step, int Attempt)> _announced = [];
    private Stream _body = Stream.Null;
    private DateTimeOffset _lastWrite;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        _body = response.Body;
        try
        {
            await WriteAsync("retry: 1000\n\n", httpContext.RequestAborted);
            await StreamAsync(httpContext.RequestAborted);
        }
        catch (OperationCanceledException) when (httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    private async Task StreamAsync(CancellationToken cancellationToken)
    {
        var snapshot = run;
        var all = await projection.GetEventsAsync(run.Run.Id, -1, cancellationToken);
        Cover(all);
        var pending = all.Where(e => e.Sequence > after).ToList();
        var cursor = after;
        var ended = all.Any(IsEnd);
        DateTimeOffset? attemptsSince = null;
        while (true)
        {
            if (pending.Count > 0)
            {
                if (pending.Any(e => e.Type == RunEventTypes.RunFailed))
                {
                    snapshot = await projection.GetAsync(run.Run.Id, cancellationToken) ?? snapshot;
                }

                var text = new StringBuilder();
                foreach (var orchestEvent in await reader.ToPublicAsync(snapshot, pending, cancellationToken))
                {
                    text.Append("id: ").Append(orchestEvent.Id).Append("\ndata: ").Append(OrchestEventJson.Serialize(orchestEvent)).Append("\n\n");
                }

                cursor = pending[^1].Sequence;
                ended |= pending.Any(IsEnd);
                await WriteAsync(text.ToString(), cancellationToken);
            }

            if (ended)
            {
                var end = JsonSerializer.Serialize(new { run = run.Run.Id, status = (await projection.GetAsync(run.Run.Id, cancellationToken) ?? snapshot).Run.Status.ToWire() });
                await WriteAsync($"event: end\ndata: {end}\n\n", cancellationToken);
                return;
            }

            attemptsSince = await AnnounceBegunAsync(snapshot, attemptsSince, cancellationToken);
            if (clock.GetUtcNow() - _lastWrite >= options.StreamHeartbeat)
            {
                await WriteAsync(": keep-alive\n\n", cancellationToken);
            }

            await Task.Delay(options.StreamPollInterval, clock, cancellationToken);
            pending = [.. await projection.GetEventsAsync(run.Run.Id, cursor, cancellationToken)];
            Cover(pending);
        }
    }

    /// <summary>Announces attempts begun that no event covers yet; returns where to read from next time.</summary>
    private async Task<DateTimeOffset?> AnnounceBegunAsync(RunSnapshot snapshot, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var begun = await attempts.ReadBegunAsync(run.Run.Id, since, cancellationToken);
        var text = new StringBuilder();
        foreach (var attempt in begun)
        {
            if (_eventAttempts.GetValueOrDefault(attempt.StepUuid) >= attempt.Attempt || !_announced.Add((attempt.StepUuid, attempt.Attempt)))
            {
                continue;
            }

            var notice = JsonSerializer.Serialize(
                new
                {
                    run = run.Run.Id,
                    step = attempt.StepUuid,
                    step_title = snapshot.FindStep(attempt.StepUuid)?.Title,
                    attempt = attempt.Attempt,
                    host = attempt.Host,
                    started = attempt.Started,
                },
                OrchestEventJson.Options);
            text.Append("event: step-running\ndata: ").Append(notice).Append("\n\n");
        }

        if (text.Length > 0)
        {
            await WriteAsync(text.ToString(), cancellationToken);
        }

        return begun.Count == 0 ? since : begun.Max(b => b.Written) - AttemptOverlap;
    }

    /// <summary>Step attempts that have an event of their start or end: their attempt rows are old news.</summary>
    private void Cover(IEnumerable<RunEvent> events)
    {
        foreach (var e in events)
        {
            // A retrying event names the next attempt before it begins: it covers nothing.
            if (e is { StepUuid: { } step, Attempt: { } attempt } && e.Status != ExecutionStatus.Pending && attempt > _eventAttempts.GetValueOrDefault(step))
            {
                _eventAttempts[step] = attempt;
            }
        }
    }

    private static bool IsEnd(RunEvent e) => e.StepUuid is null && e.Status.IsTerminal();

    private async Task WriteAsync(string text, CancellationToken cancellationToken)
    {
        await _body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await _body.FlushAsync(cancellationToken);
        _lastWrite = clock.GetUtcNow();
    }
}
