using System.Globalization;
using System.Text.Json.Nodes;
using DurableTask.AzureStorage;
using DurableTask.Core;
using DurableTask.Core.History;
using Orchest.Durable.AzureStorage;
using Orchest.Functions.Tests.Support;
using Orchest.Testing;
using Xunit.Abstractions;

namespace Orchest.Functions.Tests;

/// <summary>
/// A retry waits out its backoff even when its timer fires early. A host killed before it checkpointed an episode
/// may already have sent that episode's timer message; the episode's replay on another host makes the same timer
/// (same id) with a later due time, and the dead host's message fires it. The test sends such a message itself.
/// </summary>
[Collection(ServedCollection.Name)]
public sealed class RetryBackoffTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const int BackoffSeconds = 8;

    /// <summary>Fails its first attempt; each attempt appends "attempt start end" (Unix seconds) to $TIMES.</summary>
    private const string FlakyStep =
        """
        start=$(date +%s.%N)
        if [ "$ORCHEST_STEP_ATTEMPT" = 1 ]; then
          echo "1 $start $(date +%s.%N)" >> "$TIMES"
          exit 1
        fi
        echo "$ORCHEST_STEP_ATTEMPT $start $(date +%s.%N)" >> "$TIMES"
        """;

    [Fact]
    public async Task Retry_TimerFiredEarlyByAnotherEpisodesMessage_StillWaitsItsBackoff()
    {
        await using var bed = new ServedTestbed(azurite, output);
        var times = Path.Combine(bed.Folder("times"), "attempts");
        var pipeline = new PipelineBuilder("backoff")
            .Setting("retry", new JsonObject { ["max_attempts"] = 2, ["backoff_seconds"] = BackoffSeconds })
            .Step("Flaky", "flaky.sh", FlakyStep);
        using var origin = ServedTestbed.Repository(pipeline);
        var host = await bed.StartHostAsync("solo", "api,worker,timers");
        using var api = bed.Api(host);
        var project = await api.CreateProjectAsync("backoff-" + bed.Prefix, origin.Root);
        var run = (string)(await api.CreateRunAsync(project, new JsonObject { ["env"] = new JsonObject { ["TIMES"] = times } }))["id"]!;

        // The backoff's timer, once checkpointed in the run's history: a timer due at least half the backoff ahead.
        BackoffTimer? timer = null;
        await Wait.UntilAsync(async () => (timer = await BackoffTimerAsync(bed, run)) is not null, TimeSpan.FromSeconds(60), host.ToString);

        // What the killed host's episode would have sent: the same timer id, fired now.
        var settings = new TaskHubOptions().ToServiceSettings(bed.ConnectionString, bed.Storage.TaskHub, "test", 1);
        var service = new AzureStorageOrchestrationService(settings);
        await service.SendTaskOrchestrationMessageAsync(new TaskMessage
        {
            OrchestrationInstance = new OrchestrationInstance { InstanceId = run, ExecutionId = timer!.ExecutionId },
            Event = new TimerFiredEvent(-1, DateTime.UtcNow) { TimerId = timer.TimerId },
        });

        var ended = await api.WaitForEndAsync(run, TimeSpan.FromSeconds(60), host.ToString);
        Assert.Equal("SUCCESS", (string?)ended["status"]);
        Assert.Equal(2, (int?)ApiClient.Step(ended, "Flaky")["attempt"]);

        // The early message reached the run (it said so) and the second attempt still began a backoff after the first ended.
        await Wait.UntilAsync(() => host.Output.Contains("its wait ended", StringComparison.Ordinal), TimeSpan.FromSeconds(10), host.ToString);
        var attempts = (await File.ReadAllLinesAsync(times)).Select(line => line.Split(' ')).ToDictionary(
            parts => int.Parse(parts[0], CultureInfo.InvariantCulture),
            parts => (Start: double.Parse(parts[1], CultureInfo.InvariantCulture), End: double.Parse(parts[2], CultureInfo.InvariantCulture)));
        Assert.Equal([1, 2], attempts.Keys.Order());
        var waited = attempts[2].Start - attempts[1].End;
        Assert.True(waited >= BackoffSeconds, $"attempt 2 began {waited:0.00} s after attempt 1 ended; the backoff is {BackoffSeconds} s\n{host}");
    }

    /// <summary>The run's pending backoff timer in its history, if checkpointed yet.</summary>
    private static async Task<BackoffTimer?> BackoffTimerAsync(ServedTestbed bed, string run)
    {
        var soon = DateTime.UtcNow + TimeSpan.FromSeconds(BackoffSeconds / 2.0);
        return (await bed.Storage.HistoryAsync(run))
            .Where(e => e.GetString("EventType") == nameof(EventType.TimerCreated) && e.GetDateTime("FireAt") is { } at && at.ToUniversalTime() > soon)
            .Select(e => new BackoffTimer(e.GetString("ExecutionId")!, e.GetInt32("EventId")!.Value))
            .FirstOrDefault();
    }

    private sealed record BackoffTimer(string ExecutionId, int TimerId);
}
