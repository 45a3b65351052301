namespace Orchest.Functions.Api.Contracts;

/// <summary>
/// A trigger accepted: the job's orchestration starts one run per parameter set shortly, with these ids
/// (derived from the trigger, so they are known before the runs exist).
/// </summary>
public sealed record JobTriggerResponse(string TriggerId, IReadOnlyList<string> RunIds, JobResponse Job);
