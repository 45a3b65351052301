namespace Orchest.Functions.Api.Contracts;

/// <summary>Every event type a subscription pattern can match.</summary>
public sealed record EventTypesResponse(IReadOnlyList<string> Types);
