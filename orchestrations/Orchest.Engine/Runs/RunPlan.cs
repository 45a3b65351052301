namespace Orchest.Engine.Runs;

/// <summary>A run ready to be created: its rows, its definition and its creation event.</summary>
public sealed record RunPlan(RunSnapshot Snapshot, RunDefinition Definition, IReadOnlyList<RunEvent> Events);
