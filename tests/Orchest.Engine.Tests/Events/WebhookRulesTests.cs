using System.Security.Cryptography;
using System.Text;
using Orchest.Engine.Events;
using Orchest.Engine.Webhooks;

namespace Orchest.Engine.Tests.Events;

public sealed class WebhookRulesTests
{
    [Fact]
    public void Sign_HmacOfTimestampDotBody_VerifiesOnlyWithTheSameSecretTimestampAndBody()
    {
        var body = Encoding.UTF8.GetBytes("{\"event\":{}}");
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("s3cret"), Encoding.UTF8.GetBytes("1700000000.{\"event\":{}}")));

        var signature = WebhookSignature.Sign("s3cret", 1700000000, body);

        Assert.Equal(expected, signature);
        Assert.True(WebhookSignature.Verify("s3cret", 1700000000, body, signature));
        Assert.False(WebhookSignature.Verify("other", 1700000000, body, signature));
        Assert.False(WebhookSignature.Verify("s3cret", 1700000001, body, signature));
        Assert.False(WebhookSignature.Verify("s3cret", 1700000000, [.. body, 32], signature));
        Assert.False(WebhookSignature.Verify("s3cret", 1700000000, body, null));
    }

    [Fact]
    public void RetryDelay_Defaults_EightAttemptsOverAboutAnHour()
    {
        var options = new WebhookOptions();

        var waits = Enumerable.Range(1, options.MaxAttempts - 1).Select(options.RetryDelay).ToList();

        Assert.Equal([30, 60, 120, 240, 480, 960, 1800], waits.Select(w => (int)w.TotalSeconds));
        Assert.InRange(waits.Sum(w => w.TotalMinutes), 55, 65);
        Assert.Equal(TimeSpan.FromMinutes(30), options.RetryDelay(40));
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void Validate_OutOfRangeOptions_NameWhatToSet()
    {
        var problems = new WebhookOptions { MaxAttempts = 0, Timeout = TimeSpan.Zero, MaxConcurrentPerSubscription = 0 }.Validate();

        Assert.Contains("Orchest:Webhooks:MaxAttempts must be between 1 and 50.", problems);
        Assert.Contains("Orchest:Webhooks:MaxConcurrentPerSubscription must be between 1 and 64.", problems);
        Assert.Contains(problems, p => p.StartsWith("Orchest:Webhooks:Timeout must be at least", StringComparison.Ordinal));
    }

    [Fact]
    public void Matches_ProjectFilterAndPatterns_BothMustHold()
    {
        var subscription = new WebhookSubscription
        {
            Id = "w", Url = "https://example.com", EventTypes = ["*:pipeline-run:failed", "project:cron-job:*"], Project = "p1", Secret = "s",
            Created = DateTimeOffset.UnixEpoch,
        };

        Assert.True(subscription.Matches(Event("project:pipeline:interactive-session:pipeline-run:failed", "p1")));
        Assert.True(subscription.Matches(Event("project:cron-job:paused", "p1")));
        Assert.False(subscription.Matches(Event("project:pipeline:interactive-session:pipeline-run:failed", "p2")));
        Assert.False(subscription.Matches(Event("project:pipeline:interactive-session:pipeline-run:succeeded", "p1")));
        Assert.True((subscription with { Project = null }).Matches(Event("project:pipeline:interactive-session:pipeline-run:failed", "p2")));
    }

    [Fact]
    public void SecretMask_EnvironmentValues_MaskedLongestFirstShortOnesLeftAlone()
    {
        var mask = new SecretMask(["token-123", "token-123-extended", "no"]);

        Assert.Equal("a *** b *** c no", mask.Apply("a token-123-extended b token-123 c no"));
        Assert.Null(mask.Apply(null));
        Assert.Equal("x", SecretMask.None.Apply("x"));
    }

    [Fact]
    public void LastLines_ATailCutMidLine_StartsAtTheNextLineAndKeepsTheLastTwenty()
    {
        var log = "cut-off half line\n" + string.Join('\n', Enumerable.Range(1, 30).Select(i => $"line {i}")) + "\n";
        log = new string('x', FailedStepSummaries.TailBytes - log.Length) + log;

        var tail = FailedStepSummaries.LastLines(log)!.Split('\n');

        Assert.Equal(FailedStepSummaries.TailLines, tail.Length);
        Assert.Equal(("line 11", "line 30"), (tail[0], tail[^1]));
        Assert.Equal("only\nlines", FailedStepSummaries.LastLines("only\r\nlines\r\n"));
        Assert.Null(FailedStepSummaries.LastLines(""));
    }

    private static OrchestEvent Event(string type, string project) =>
        new() { Id = "e", Type = type, Kind = "run.failed", Time = DateTimeOffset.UnixEpoch, Project = project };
}
