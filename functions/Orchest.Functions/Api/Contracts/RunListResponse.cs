namespace Orchest.Functions.Api.Contracts;

/// <summary>A page of runs; pass <c>continuation_token</c> back to get the next page.</summary>
public sealed record RunListResponse(IReadOnlyList<RunResponse> Runs, string? ContinuationToken);
