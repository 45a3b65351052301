namespace Orchest.Chaos.Checks;

/// <summary>One broken invariant: its kind (<see cref="ViolationKinds"/>), the run it concerns (if one) and the evidence in a line.</summary>
public sealed record Violation(string Kind, string? RunId, string Detail);
