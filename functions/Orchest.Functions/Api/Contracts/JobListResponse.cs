namespace Orchest.Functions.Api.Contracts;

/// <summary>A project's jobs, newest first.</summary>
public sealed record JobListResponse(IReadOnlyList<JobResponse> Jobs);
