using Orchest.Functions.GitHooks;

namespace Orchest.Functions.Tests.Support;

/// <summary>Claiming a delivery in tests, saying which outcome the test expects.</summary>
internal static class GitDeliveryClaims
{
    /// <summary>Claims a delivery the caller must now hold.</summary>
    public static async Task<HeldGitDelivery> HoldAsync(this GitDeliveryLog log, string project, GitDelivery delivery) =>
        Assert.IsType<HeldGitDelivery>((await log.ClaimAsync(project, delivery)).Held);

    /// <summary>Claims a delivery someone else has: its recorded answer, or (0, "") while it is handled elsewhere.</summary>
    public static async Task<(int Status, string Answer)> AnswerOfAsync(this GitDeliveryLog log, string project, GitDelivery delivery)
    {
        var claim = await log.ClaimAsync(project, delivery);
        Assert.Null(claim.Held);
        return (claim.Status, claim.Answer);
    }
}
