namespace Orchest.Functions.GitHooks;

/// <summary>
/// What claiming a delivery gave: <see cref="Held"/> when the caller now handles it; else the recorded
/// <see cref="Status"/> and <see cref="Answer"/>, or (status 0) the delivery is being handled elsewhere.
/// </summary>
internal sealed record GitDeliveryClaim(HeldGitDelivery? Held, int Status, string Answer)
{
    public static GitDeliveryClaim InProgress { get; } = new(null, 0, "");
}
