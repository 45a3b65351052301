using Orchest.Engine.Runs;

namespace Orchest.Durable;

/// <summary>
/// The projection entity's own state: the last progress it applied (a redelivered one is skipped) and
/// the progress it could not apply yet (storage unavailable), oldest first, with how often it retried, and
/// the digest of the progress it applied last (to tell a repeat from a different progress of that number),
/// and whether it repaired a progress of this run (then the final one re-points every commit: <see cref="RunProgress.AllCommits"/>).
/// </summary>
public sealed record ProjectionState(
    long Applied, IReadOnlyList<RunProgress>? Pending = null, int Retries = 0, string? Digest = null, bool Repaired = false);
