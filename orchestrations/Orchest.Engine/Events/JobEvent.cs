namespace Orchest.Engine.Events;

/// <summary>
/// A job's transition (created, started, paused, a cron tick failed, ...) as the jobs code reports it
/// through <see cref="IJobEvents"/>. <paramref name="Id"/> must be the same every time the same transition
/// is reported (e.g. <c>"&lt;job&gt;-&lt;tick:yyyyMMddTHHmmssZ&gt;-failed"</c>): receivers de-duplicate by it.
/// </summary>
/// <param name="Id">Stable id of this transition.</param>
/// <param name="Type">One of <see cref="OrchestEventTypes.Jobs"/>.</param>
/// <param name="Time">When it happened.</param>
/// <param name="ProjectId">The job's project.</param>
/// <param name="JobId">The job.</param>
/// <param name="Status">The job's (or tick's) status after the transition, e.g. "STARTED", "PAUSED", "FAILURE".</param>
/// <param name="Message">What a person should know, in one line.</param>
/// <param name="PipelinePath">The job's pipeline file.</param>
/// <param name="Run">A run this transition is about (e.g. the first failed run of a cron tick).</param>
public sealed record JobEvent(
    string Id,
    string Type,
    DateTimeOffset Time,
    string ProjectId,
    string JobId,
    string? Status = null,
    string? Message = null,
    string? PipelinePath = null,
    string? Run = null);
