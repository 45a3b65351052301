using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Orchest.Engine.Events;
using Orchest.Engine.Ports;
using Orchest.Functions.Api.Contracts;
using Orchest.Functions.Hosting;
using Orchest.Functions.Projects;

namespace Orchest.Functions.Api;

/// <summary>
/// Events: a run's (<c>/api/runs/{run}/events</c>, and live as Server-Sent Events at <c>.../stream</c>), a
/// project's (<c>/api/projects/{project}/events</c>) and the list of event types (<c>/api/events/types</c>).
/// </summary>
internal static class EventsApi
{
    public static RouteGroupBuilder MapEventsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/runs/{run}/events", ListRunEventsAsync).WithName("ListRunEvents").WithTags("events");
        api.MapGet("/runs/{run}/events/stream", StreamRunEventsAsync).WithName("StreamRunEvents").WithTags("events");
        api.MapGet("/projects/{project}/events", ListProjectEventsAsync).WithName("ListProjectEvents").WithTags("events");
        api.MapGet("/events/types", ListEventTypes).WithName("ListEventTypes").WithTags("events");
        return api;
    }

    internal static async Task<IResult> ListRunEventsAsync(string run, long? after, RunEventReader reader, CancellationToken cancellationToken)
    {
        if (after is < -1)
        {
            return ApiProblems.Invalid("The query is not valid", ["\"after\" must be an event sequence (0 or more), or -1 for all."]);
        }

        return RunsApi.IsRunId(run) && await reader.ReadAsync(run, after ?? -1, cancellationToken) is { } events
            ? TypedResults.Ok(new EventListResponse(events, null))
            : RunsApi.RunNotFound(run);
    }

    internal static async Task<IResult> StreamRunEventsAsync(
        string run, [FromHeader(Name = "Last-Event-ID")] string? lastEventId, [FromQuery(Name = "last_event_id")] string? lastEventIdQuery,
        IRunProjection projection, RunEventReader reader, IStepAttemptFeed attempts, EventStreamOptions options, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (await RunsApi.FindAsync(projection, run, cancellationToken) is not { } snapshot)
        {
            return RunsApi.RunNotFound(run);
        }

        var resumeFrom = lastEventId ?? lastEventIdQuery;
        var after = -1L;
        if (!string.IsNullOrEmpty(resumeFrom) && !TryParseEventId(run, resumeFrom, out after))
        {
            return ApiProblems.Invalid("The query is not valid", [$"Last-Event-ID \"{resumeFrom}\" is not an event id of run {run} (\"{run}-000012\")."]);
        }

        return new RunEventStream(snapshot, after, projection, reader, attempts, options, clock);
    }

    internal static async Task<IResult> ListProjectEventsAsync(
        string project, string? since, string? type, [FromQuery(Name = "page_size")] int? pageSize,
        [FromQuery(Name = "continuation_token")] string? continuationToken,
        TableProjectRegistry registry, IEventLog log, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        DateTimeOffset? from = null;
        if (since is not null)
        {
            if (DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                from = parsed;
            }
            else
            {
                errors.Add($"\"since\" \"{since}\" is not a time (ISO 8601, e.g. 2026-12-05T12:00:00Z).");
            }
        }

        if (type is not null && EventTypePattern.Problem(type) is { } problem)
        {
            errors.Add($"\"type\": {problem}.");
        }

        if (pageSize is < 1 or > 500)
        {
            errors.Add("\"page_size\" must be between 1 and 500.");
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Invalid("The query is not valid", errors);
        }

        if (await registry.GetAsync(project, cancellationToken) is null)
        {
            return ProjectsApi.ProjectNotFound(project);
        }

        var page = await log.ListAsync(new EventQuery(project, from, type, pageSize ?? 100, continuationToken), cancellationToken);
        return TypedResults.Ok(new EventListResponse(page.Events, page.ContinuationToken));
    }

    internal static IResult ListEventTypes() => TypedResults.Ok(new EventTypesResponse(OrchestEventTypes.All));

    /// <summary>"&lt;run&gt;-&lt;sequence&gt;" of this run.</summary>
    private static bool TryParseEventId(string run, string id, out long sequence)
    {
        sequence = -1;
        return id.Length > run.Length + 1 && id.StartsWith(run + "-", StringComparison.OrdinalIgnoreCase)
            && long.TryParse(id.AsSpan(run.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out sequence);
    }
}
