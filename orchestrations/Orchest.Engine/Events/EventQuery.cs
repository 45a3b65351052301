namespace Orchest.Engine.Events;

/// <summary>A project's events recorded after <paramref name="Since"/> whose type matches <paramref name="TypePattern"/>.</summary>
public sealed record EventQuery(string ProjectId, DateTimeOffset? Since, string? TypePattern, int PageSize, string? ContinuationToken);
