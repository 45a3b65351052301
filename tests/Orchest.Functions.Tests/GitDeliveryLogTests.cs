using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Orchest.Functions.GitHooks;
using Orchest.Functions.Projects;
using Orchest.Functions.Timers;
using Orchest.Functions.Tests.Support;
using Orchest.Testing;

namespace Orchest.Functions.Tests;

/// <summary>Remembered git deliveries on Azurite: old ones are forgotten (a redelivery is then new), recent ones still answer, projects' rows stay.</summary>
[Collection(ServedCollection.Name)]
public sealed class GitDeliveryLogTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Prune_ForgetsDeliveriesOlderThanTheRetention_KeepsRecentOnesAndProjects()
    {
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient("gitdeliveries" + Guid.NewGuid().ToString("n")[..8]);
        var registry = new TableProjectRegistry(table);
        await registry.EnsureCreatedAsync();
        try
        {
            var clock = new SettableClock(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
            var log = new GitDeliveryLog(registry, clock);
            var id = Guid.NewGuid().ToString();
            await registry.CreateAsync(new ProjectEntry(id, "p1", "/repo", "main", null, clock.Now));
            var old = new GitDelivery(GitProvider.GitHub, "old", "push", "refs/heads/main", null, null);
            var unanswered = new GitDelivery(GitProvider.Gitea, "unanswered", "push", "refs/heads/main", null, null);
            var recent = new GitDelivery(GitProvider.GitLab, "recent", "push", "refs/heads/main", null, null);
            Assert.Null(await log.ClaimAsync(id, old));
            await log.CompleteAsync(id, old, 202, "{\"first\":true}");
            Assert.Null(await log.ClaimAsync(id, unanswered));
            clock.Now = clock.Now.AddDays(10);
            Assert.Null(await log.ClaimAsync(id, recent));
            await log.CompleteAsync(id, recent, 202, "{\"recent\":true}");

            clock.Now = clock.Now.AddDays(5);
            var pruned = await log.PruneAsync(TimeSpan.FromDays(14));

            Assert.Equal(2, pruned);
            Assert.Null(await log.ClaimAsync(id, old));
            Assert.Null(await log.ClaimAsync(id, unanswered));
            Assert.Equal((202, "{\"recent\":true}"), await log.ClaimAsync(id, recent));
            Assert.Equal("p1", (await registry.GetAsync(id))?.Name);
            Assert.Equal(0, await log.PruneAsync(TimeSpan.FromDays(14)));
        }
        finally
        {
            await table.DeleteAsync();
        }
    }

    [Theory]
    [InlineData(null, 14 * 24)]
    [InlineData("2.00:00:00", 48)]
    [InlineData("06:00:00", 6)]
    public void Retention_FromConfiguration(string? value, int hours) =>
        Assert.Equal(TimeSpan.FromHours(hours), GitDeliveryRetention.From(Configuration(value)).Value);

    [Theory]
    [InlineData("two weeks")]
    [InlineData("-1.00:00:00")]
    [InlineData("00:00:00")]
    public void Retention_NotAPositiveTimeSpan_StopsTheHostNamingTheKey(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => GitDeliveryRetention.From(Configuration(value)));
        Assert.Equal($"Orchest:GitHooks:DeliveryRetention must be a positive time span such as 14.00:00:00 (14 days), not \"{value}\".", error.Message);
    }

    private static IConfiguration Configuration(string? value) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [GitDeliveryRetention.Key] = value }).Build();

    private sealed class SettableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
