namespace Orchest.Durable;

/// <summary>The projection entity's own state: the last progress it applied (a redelivered one is skipped).</summary>
public sealed record ProjectionState(long Applied);
