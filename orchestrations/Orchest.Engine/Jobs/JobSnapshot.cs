namespace Orchest.Engine.Jobs;

/// <summary>A job as stored: its definition and its state.</summary>
public sealed record JobSnapshot(JobDefinition Definition, JobState State);
