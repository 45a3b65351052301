using Orchest.Engine.Jobs;

namespace Orchest.Durable.Jobs;

/// <summary>
/// An external event to a job's orchestration (<see cref="JobOrchestrator.CommandEvent"/>). Carries ids and
/// the schedule only: parameters and environment are read from the job's stored definition at each tick.
/// </summary>
/// <param name="Kind">What to do.</param>
/// <param name="Id">Unique per request: a trigger's runs derive their ids from it (a repeated event starts nothing twice).</param>
/// <param name="Schedule">For <see cref="JobCommandKind.Update"/>: the new schedule.</param>
/// <param name="Revision">For <see cref="JobCommandKind.Update"/>: the definition revision it comes from (older ones are ignored).</param>
/// <param name="Reason">For <see cref="JobCommandKind.Cancel"/>: why.</param>
public sealed record JobCommand(JobCommandKind Kind, string Id, JobSchedule? Schedule = null, long Revision = 0, string? Reason = null);
