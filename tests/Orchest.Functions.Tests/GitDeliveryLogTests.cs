using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Orchest.Functions.GitHooks;
using Orchest.Functions.Projects;
using Orchest.Functions.Timers;
using Orchest.Functions.Tests.Support;
using Orchest.Testing;

namespace Orchest.Functions.Tests;

/// <summary>
/// Remembered git deliveries on Azurite: old ones are forgotten (a redelivery is then new), recent ones still answer,
/// projects' rows stay; a project's pushes are handled one at a time across hosts.
/// </summary>
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
            var log = new GitDeliveryLog(registry, GitHookOptions.Default with { DeliveryRetention = TimeSpan.FromDays(14) }, clock);
            var id = Guid.NewGuid().ToString();
            await registry.CreateAsync(new ProjectEntry(id, "p1", "/repo", "main", null, clock.Now));
            var old = new GitDelivery(GitProvider.GitHub, "old", "push", "refs/heads/main", null, null);
            var unanswered = new GitDelivery(GitProvider.Gitea, "unanswered", "push", "refs/heads/main", null, null);
            var recent = new GitDelivery(GitProvider.GitLab, "recent", "push", "refs/heads/main", null, null);
            await log.CompleteAsync(await log.HoldAsync(id, old), 202, "{\"first\":true}");
            await log.HoldAsync(id, unanswered);
            clock.Now = clock.Now.AddDays(10);
            await log.CompleteAsync(await log.HoldAsync(id, recent), 202, "{\"recent\":true}");

            clock.Now = clock.Now.AddDays(5);
            var pruned = await log.PruneAsync();

            Assert.Equal(2, pruned);
            await log.HoldAsync(id, old);
            await log.HoldAsync(id, unanswered);
            Assert.Equal((202, "{\"recent\":true}"), await log.AnswerOfAsync(id, recent));
            Assert.Equal("p1", (await registry.GetAsync(id))?.Name);
            Assert.Equal(0, await log.PruneAsync());
        }
        finally
        {
            await table.DeleteAsync();
        }
    }

    [Fact]
    public async Task Stale_UnansweredClaimsPastTheTakeOver_WithTheDeliveryTheyKept_TakenOverOnce()
    {
        await using var deliveries = await DeliveryTable.CreateAsync(azurite);
        var (log, clock, project) = (deliveries.Log, deliveries.Clock, deliveries.ProjectId);
        var died = new GitDelivery(GitProvider.GitHub, "died", "push", "refs/heads/main", new string('a', 40), new string('b', 40));
        var answered = new GitDelivery(GitProvider.Gitea, "answered", "push", "refs/heads/main", null, null);
        var later = new GitDelivery(GitProvider.GitLab, "later", "push", "refs/heads/dev", null, null);
        await log.HoldAsync(project, died);
        await log.CompleteAsync(await log.HoldAsync(project, answered), 202, "{}");
        await deliveries.AddClaimOfAnEarlierVersionAsync("earlier");
        clock.Now += TimeSpan.FromMinutes(1);
        await log.HoldAsync(project, later);

        clock.Now += TimeSpan.FromMinutes(1);
        var stale = Assert.Single(await log.StaleAsync());
        Assert.Equal((project, died, 1, (string?)null), (stale.ProjectId, stale.Delivery, stale.Attempts, stale.Failed));

        // One taker wins; the claim is fresh again (a redelivery now finds it being handled).
        var held = Assert.IsType<HeldGitDelivery>(await log.TakeOverAsync(stale));
        Assert.Equal((died, 2), (held.Delivery, held.Attempt));
        Assert.Null(await log.TakeOverAsync(stale));
        Assert.Equal((0, ""), await log.AnswerOfAsync(project, died));
        Assert.Empty(await log.StaleAsync());

        clock.Now += TimeSpan.FromMinutes(2);
        var both = (await log.StaleAsync()).OrderBy(s => s.Delivery.DeliveryId, StringComparer.Ordinal).ToList();
        Assert.Equal([("died", 2), ("later", 1)], both.Select(s => (s.Delivery.DeliveryId, s.Attempts)));
        Assert.Equal(later, both[1].Delivery);
        await log.CompleteAsync(held, 202, "{\"died\":false}");
        Assert.Equal("later", Assert.Single(await log.StaleAsync()).Delivery.DeliveryId);
        Assert.Equal((202, "{\"died\":false}"), await log.AnswerOfAsync(project, died));
    }

    [Fact]
    public async Task Fail_ARedeliveryTakesTheClaimOverAtOnce_TheHousekeepingOnlyOnceItIsStale()
    {
        await using var deliveries = await DeliveryTable.CreateAsync(azurite);
        var (log, clock, project) = (deliveries.Log, deliveries.Clock, deliveries.ProjectId);
        var delivery = new GitDelivery(GitProvider.GitHub, "failing", "push", "refs/heads/main", null, new string('c', 40));
        var failing = await log.HoldAsync(project, delivery);
        var other = new GitDelivery(GitProvider.GitHub, "other", "push", "refs/heads/main", null, null);
        var otherHeld = await log.HoldAsync(project, other);

        Assert.True(await log.FailAsync(failing, "GitRepositoryException"));
        Assert.True(await log.FailAsync(otherHeld, "IOException"));
        clock.Now += TimeSpan.FromSeconds(1);
        Assert.Empty(await log.StaleAsync());
        await log.HoldAsync(project, delivery);

        clock.Now += TimeSpan.FromMinutes(2);
        var stale = (await log.StaleAsync()).OrderBy(s => s.Delivery.DeliveryId, StringComparer.Ordinal).ToList();
        Assert.Equal([("failing", 2, null), ("other", 1, "IOException")], stale.Select(s => (s.Delivery.DeliveryId, s.Attempts, s.Failed)));
    }

    [Fact]
    public async Task FailAndRelease_OfAHandlingTakenOverWhileItRan_LeaveTheTakersClaimAlone()
    {
        await using var deliveries = await DeliveryTable.CreateAsync(azurite);
        var (log, clock, project) = (deliveries.Log, deliveries.Clock, deliveries.ProjectId);
        var delivery = new GitDelivery(GitProvider.GitHub, "slow", "push", "refs/heads/main", null, new string('e', 40));
        var slow = await log.HoldAsync(project, delivery);
        clock.Now += TimeSpan.FromMinutes(2);
        var taker = await log.HoldAsync(project, delivery); // a redelivery once the slow handling looked dead
        Assert.Equal((1, 2), (slow.Attempt, taker.Attempt));

        // The slow handling fails, then gives up on a gone commit: neither touches the taker's claim.
        Assert.False(await log.FailAsync(slow, "GitRepositoryException"));
        Assert.False(await log.ReleaseAsync(slow));
        Assert.Equal((0, ""), await log.AnswerOfAsync(project, delivery));
        clock.Now += TimeSpan.FromMinutes(2);
        var stale = Assert.Single(await log.StaleAsync());
        Assert.Equal((2, (string?)null), (stale.Attempts, stale.Failed));

        // The taker's own marks still hold.
        Assert.True(await log.FailAsync(taker, "IOException"));
        Assert.Equal("IOException", Assert.Single(await log.StaleAsync()).Failed);
        var third = await log.HoldAsync(project, delivery);
        Assert.True(await log.ReleaseAsync(third));
        Assert.Empty(await log.StaleAsync());
        Assert.Equal(1, (await log.HoldAsync(project, delivery)).Attempt);
    }

    [Fact]
    public async Task Abandon_OnlyAClaimNobodyTookOverMeanwhile_ThenARedeliveryIsNew()
    {
        await using var deliveries = await DeliveryTable.CreateAsync(azurite);
        var (log, clock, project) = (deliveries.Log, deliveries.Clock, deliveries.ProjectId);
        var delivery = new GitDelivery(GitProvider.Gitea, "given-up", "push", "refs/heads/main", null, null);
        await log.HoldAsync(project, delivery);
        clock.Now += TimeSpan.FromMinutes(2);
        var seen = Assert.Single(await log.StaleAsync());
        await log.HoldAsync(project, delivery); // a redelivery took it over

        Assert.False(await log.AbandonAsync(seen));
        Assert.Equal((0, ""), await log.AnswerOfAsync(project, delivery));

        clock.Now += TimeSpan.FromMinutes(2);
        Assert.True(await log.AbandonAsync(Assert.Single(await log.StaleAsync())));
        Assert.Empty(await log.StaleAsync());
        await log.HoldAsync(project, delivery); // handled as new: its first attempt
        clock.Now += TimeSpan.FromMinutes(2);
        Assert.Equal(1, Assert.Single(await log.StaleAsync()).Attempts);
    }

    [Theory]
    [InlineData(null, 14 * 24)]
    [InlineData("2.00:00:00", 48)]
    [InlineData("06:00:00", 6)]
    public void Retention_FromConfiguration(string? value, int hours) =>
        Assert.Equal(TimeSpan.FromHours(hours), GitHookOptions.From(Configuration(GitHookOptions.RetentionKey, value)).DeliveryRetention);

    [Theory]
    [InlineData(null, 120)]
    [InlineData("00:00:05", 5)]
    [InlineData("00:30:00", 1800)]
    public void TakeOverAfter_FromConfiguration(string? value, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), GitHookOptions.From(Configuration(GitHookOptions.TakeOverKey, value)).TakeOverAfter);

    [Theory]
    [InlineData("two weeks")]
    [InlineData("-1.00:00:00")]
    [InlineData("00:00:00")]
    public void Retention_NotAPositiveTimeSpan_StopsTheHostNamingTheKey(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => GitHookOptions.From(Configuration(GitHookOptions.RetentionKey, value)));
        Assert.Equal($"Orchest:GitHooks:DeliveryRetention must be a positive time span such as 14.00:00:00 (14 days), not \"{value}\".", error.Message);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-00:01:00")]
    [InlineData("00:00:00")]
    public void TakeOverAfter_NotAPositiveTimeSpan_StopsTheHostNamingTheKey(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => GitHookOptions.From(Configuration(GitHookOptions.TakeOverKey, value)));
        Assert.Equal($"Orchest:GitHooks:TakeOverAfter must be a positive time span such as 00:02:00 (2 minutes), not \"{value}\".", error.Message);
    }

    [Fact]
    public void TakeOverAfter_NotShorterThanTheRetention_StopsTheHostNamingBothKeys()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [GitHookOptions.RetentionKey] = "01:00:00",
            [GitHookOptions.TakeOverKey] = "01:00:00",
        }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => GitHookOptions.From(configuration));

        Assert.Equal(
            "Orchest:GitHooks:TakeOverAfter (01:00:00) must be shorter than Orchest:GitHooks:DeliveryRetention (01:00:00): a claim is forgotten before it could be taken over.",
            error.Message);
    }

    [Fact]
    public async Task PushLock_HeldByAHost_KeepsTheProjectsOtherPushesWaitingUntilReleased_NotOtherProjects()
    {
        await using var deliveries = await DeliveryTable.CreateAsync(azurite);
        var (pushes, project) = (deliveries.Pushes, deliveries.ProjectId);

        var first = await pushes.AcquireAsync(project);
        using (var patience = new CancellationTokenSource(TimeSpan.FromSeconds(1)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pushes.AcquireAsync(project, patience.Token));
        }

        await using (await pushes.AcquireAsync("another-project"))
        {
        }

        await first.DisposeAsync();
        await using var next = await pushes.AcquireAsync(project).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task PushLock_OfAHostThatStoppedRenewing_IsTakenOverOnceItsLeaseRanOut_AndItsReleaseLeavesTheTakerHolding()
    {
        await using var deliveries = await DeliveryTable.CreateAsync(azurite);
        var (pushes, project, clock) = (deliveries.Pushes, deliveries.ProjectId, deliveries.Clock);
        var dead = await pushes.AcquireAsync(project);

        clock.Now += ProjectPushLock.Lease + TimeSpan.FromSeconds(1);
        var taker = await pushes.AcquireAsync(project).WaitAsync(TimeSpan.FromSeconds(10));

        // The first holder's late release removes nothing of the taker's.
        await dead.DisposeAsync();
        using (var patience = new CancellationTokenSource(TimeSpan.FromSeconds(1)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pushes.AcquireAsync(project, patience.Token));
        }

        await taker.DisposeAsync();
        await using var next = await pushes.AcquireAsync(project).WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static IConfiguration Configuration(string key, string? value) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();

    /// <summary>A project registry table of its own on Azurite with one project, its delivery log on a settable clock; deleted after.</summary>
    private sealed class DeliveryTable : IAsyncDisposable
    {
        private readonly TableClient _table;

        private DeliveryTable(TableClient table, TableProjectRegistry registry, SettableClock clock, string projectId) =>
            (_table, Log, Pushes, Clock, ProjectId) = (table, new GitDeliveryLog(registry, GitHookOptions.Default, clock), new ProjectPushLock(registry, clock), clock, projectId);

        public GitDeliveryLog Log { get; }

        public ProjectPushLock Pushes { get; }

        public SettableClock Clock { get; }

        public string ProjectId { get; }

        public static async Task<DeliveryTable> CreateAsync(AzuriteFixture azurite)
        {
            var table = new TableServiceClient(azurite.ConnectionString).GetTableClient("gitdeliveries" + Guid.NewGuid().ToString("n")[..8]);
            var registry = new TableProjectRegistry(table);
            await registry.EnsureCreatedAsync();
            var clock = new SettableClock(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
            var projectId = Guid.NewGuid().ToString();
            await registry.CreateAsync(new ProjectEntry(projectId, "p1", "/repo", "main", null, clock.Now));
            return new DeliveryTable(table, registry, clock, projectId);
        }

        /// <summary>A claim as hosts wrote it before claims kept their delivery: only a redelivery can take it over.</summary>
        public Task AddClaimOfAnEarlierVersionAsync(string deliveryId) => _table.AddEntityAsync(
            new TableEntity("gitdelivery~" + ProjectId, Guid.NewGuid().ToString("n")) { ["Claimed"] = Clock.Now, ["DeliveryId"] = deliveryId });

        public async ValueTask DisposeAsync() => await _table.DeleteAsync();
    }

    private sealed class SettableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
