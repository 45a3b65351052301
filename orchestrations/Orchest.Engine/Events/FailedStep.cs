namespace Orchest.Engine.Events;

/// <summary>A failed step of a failed run, as its run-failed event tells it: what failed, why, and the end of its log.</summary>
public sealed record FailedStep(string Uuid, string Title, int Attempt, int? ExitCode, string? Message, string? LogTail);
