namespace Orchest.Git;

/// <summary>The pipelines of a project at the commit a ref resolved to.</summary>
public sealed record PipelineListing(string Commit, IReadOnlyList<PipelineSummary> Pipelines);
