namespace Orchest.Functions.Api.Contracts;

/// <summary>One output of a step's committed output set.</summary>
public sealed record OutputResponse(string? Name, string Serialization, long Size, DateTimeOffset? Timestamp, string Url);
