namespace Orchest.Engine.Events;

/// <summary>A host began executing a step attempt (its attempt row), before the run's orchestration decided anything about it.</summary>
public sealed record StepAttemptBegun(string StepUuid, int Attempt, string Host, DateTimeOffset Started, DateTimeOffset Written);
