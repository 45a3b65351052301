using Orchest.Engine.Runs;

namespace Orchest.Engine.Jobs;

/// <summary>A run a job started: which tick, which parameter set, and how it ended once that is known (so it need not be read again).</summary>
public sealed record JobRunEntry(string RunId, long Tick, int Index, ExecutionStatus? Final = null);
