using Azure;

namespace Orchest.Functions.GitHooks;

/// <summary>
/// A delivery its caller now handles (it claimed it, or took its claim over). Marking it failed or giving it back
/// is conditional on <paramref name="Version"/>: a handling whose claim was taken over meanwhile changes nothing of
/// the taker's.
/// </summary>
/// <param name="ProjectId">The project the delivery was sent to.</param>
/// <param name="Delivery">The delivery as read.</param>
/// <param name="Attempt">Which handling this is (1 for the first, one more for each takeover).</param>
/// <param name="Version">The claim row's ETag as this handling wrote it.</param>
internal sealed record HeldGitDelivery(string ProjectId, GitDelivery Delivery, int Attempt, ETag Version);
