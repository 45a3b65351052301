namespace Orchest.Engine.Ports;

/// <summary>The attempt number an execution runs as, and the hosts earlier executions of the same dispatch began on (oldest first).</summary>
public sealed record BegunAttempt(int Attempt, IReadOnlyList<string> LostOn);
