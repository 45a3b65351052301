using Orchest.Engine.Runs;

namespace Orchest.Engine.Ports;

/// <summary>A page of runs and the token for the next page (null on the last page).</summary>
public sealed record RunPage(IReadOnlyList<RunRecord> Runs, string? ContinuationToken);
