using Azure;

namespace Orchest.Functions.GitHooks;

/// <summary>An unanswered claim old enough to be taken over (<see cref="GitDeliveryLog.StaleAsync"/>).</summary>
/// <param name="ProjectId">The project the delivery was sent to.</param>
/// <param name="Delivery">The delivery as its first handler read it.</param>
/// <param name="Attempts">Handlings it has had (the first and each takeover).</param>
/// <param name="Failed">What failed in its last handling, when that handling failed rather than died.</param>
/// <param name="ETag">The claim's version: a takeover or an abandonment happens only if nobody changed it since.</param>
internal sealed record StaleGitDelivery(string ProjectId, GitDelivery Delivery, int Attempts, string? Failed, ETag ETag);
