namespace Orchest.Functions.Api.Contracts;

/// <summary>A pipeline found at a commit of a project.</summary>
public sealed record PipelineResponse(string Path, string? Uuid, string? Name, int? Steps, IReadOnlyList<string> Problems);
