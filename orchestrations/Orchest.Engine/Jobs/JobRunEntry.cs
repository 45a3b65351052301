namespace Orchest.Engine.Jobs;

/// <summary>A run a job started: which tick, which parameter set, and whether it is known to have ended.</summary>
public sealed record JobRunEntry(string RunId, long Tick, int Index, bool Ended);
