using Orchest.Engine.Runs;

namespace Orchest.Engine.Ports;

/// <summary>A page request over a project's runs.</summary>
public sealed record RunQuery(
    string ProjectId,
    ExecutionStatus? Status = null,
    string? PipelinePath = null,
    int PageSize = 50,
    string? ContinuationToken = null);
