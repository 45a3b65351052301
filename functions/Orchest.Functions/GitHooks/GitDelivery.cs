namespace Orchest.Functions.GitHooks;

/// <summary>A verified webhook delivery as the host reads it (only the fields it acts on).</summary>
/// <param name="Provider">Where it comes from.</param>
/// <param name="DeliveryId">The provider's delivery id (the same on a redelivery).</param>
/// <param name="Event">"ping", "push", "tag_push" or the provider's other event name.</param>
/// <param name="Ref">The pushed ref, e.g. <c>refs/heads/main</c> (null when not a push).</param>
/// <param name="Before">The ref's commit before the push (all zeros for a new ref).</param>
/// <param name="After">The ref's commit after the push (all zeros for a deletion).</param>
public sealed record GitDelivery(GitProvider Provider, string DeliveryId, string Event, string? Ref, string? Before, string? After)
{
    public const string BranchPrefix = "refs/heads/";

    public bool IsPing => Event == "ping";

    public bool IsPush => Event is "push" or "tag_push";

    /// <summary>The branch name of a branch push, else null.</summary>
    public string? Branch => Ref is { } r && r.StartsWith(BranchPrefix, StringComparison.Ordinal) ? r[BranchPrefix.Length..] : null;

    public bool IsDeletion => After is { } a && a.Length > 0 && a.All(c => c == '0');
}
