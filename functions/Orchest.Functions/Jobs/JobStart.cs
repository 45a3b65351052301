using Orchest.Durable.Jobs;
using Orchest.Engine.Jobs;

namespace Orchest.Functions.Jobs;

/// <summary>The first state of a confirmed job's orchestration.</summary>
internal static class JobStart
{
    /// <summary>STARTED for a cron job, PENDING for a one-off job (Orchest's statuses after confirmation).</summary>
    public static JobStatus StatusOf(JobDefinition definition) => definition.Schedule.IsCron ? JobStatus.Started : JobStatus.Pending;

    public static JobOrchestrationInput Input(JobDefinition definition, DateTimeOffset confirmed, JobOptions options) => new()
    {
        JobId = definition.Id,
        Schedule = definition.Schedule,
        DefinitionRevision = definition.Revision,
        Confirmed = confirmed,
        Status = StatusOf(definition),
        MisfireThreshold = options.MisfireThreshold,
    };
}
