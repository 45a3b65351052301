using System.Net;
using System.Text.Json.Nodes;
using Orchest.Engine.Events;
using Orchest.Engine.Webhooks;
using Orchest.Functions.Webhooks;

namespace Orchest.Functions.Tests;

/// <summary>Pure rules of webhook requests: which addresses are refused, and what a body looks like when it must be cut.</summary>
public sealed class WebhookTargetsTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.8.9.10", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("10.0.0.1", "private network")]
    [InlineData("172.31.255.255", "private network")]
    [InlineData("192.168.1.1", "private network")]
    [InlineData("100.64.0.1", "private network")]
    [InlineData("fd12:3456::1", "private network")]
    [InlineData("0.0.0.0", "not a host address")]
    [InlineData("224.0.0.1", "not a host address")]
    [InlineData("93.184.216.34", null)]
    [InlineData("172.32.0.1", null)]
    [InlineData("2606:2800:220:1::1", null)]
    public void Refusal_ByDefault_RefusesTheHostsOwnNetworks(string address, string? why)
    {
        var refusal = new WebhookTargets(new WebhookOptions()).Refusal(IPAddress.Parse(address));

        if (why is null)
        {
            Assert.Null(refusal);
        }
        else
        {
            Assert.Contains(why, refusal, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Refusal_AllowedByConfiguration_OnlyWhatWasAllowed()
    {
        var targets = new WebhookTargets(new WebhookOptions { AllowLoopback = true });

        Assert.Null(targets.Refusal(IPAddress.Loopback));
        Assert.NotNull(targets.Refusal(IPAddress.Parse("10.0.0.1")));
        Assert.NotNull(targets.Refusal(IPAddress.Parse("169.254.169.254")));
        Assert.Null(new WebhookTargets(new WebhookOptions { AllowPrivateNetworks = true, AllowLinkLocal = true }).Refusal(IPAddress.Parse("169.254.1.1")));
    }

    [Fact]
    public void Build_RunFailedWithHugeLogTails_StaysUnderTheCapKeepingTheEndOfEachTail()
    {
        var subscription = new WebhookSubscription { Id = "w1", Name = "ops", Url = "https://example.com", EventTypes = ["*"], Secret = "s", Created = DateTimeOffset.UnixEpoch };
        var tail = new string('a', 40_000) + "THE END";
        var failed = Enumerable.Range(1, 3).Select(i => new FailedStep($"s{i}", $"Step {i}", 1, 1, "exit code 1", tail)).ToList();
        var e = new OrchestEvent
        {
            Id = "r-000009", Type = "project:pipeline:interactive-session:pipeline-run:failed", Kind = "run.failed", Time = DateTimeOffset.UnixEpoch,
            Project = "p", Run = "r", PipelineName = "main", FailedSteps = failed,
        };

        var body = WebhookBodies.Build(subscription, e, 16 * 1024);

        Assert.InRange(body.Length, 8 * 1024, 16 * 1024);
        var json = JsonNode.Parse(body)!;
        Assert.Equal(("w1", "ops"), ((string?)json["delivered_for"]!["id"], (string?)json["delivered_for"]!["name"]));
        Assert.All(json["event"]!["failed_steps"]!.AsArray(), f => Assert.EndsWith("THE END", (string)f!["log_tail"]!, StringComparison.Ordinal));

        var text = JsonNode.Parse(WebhookBodies.Build(subscription with { ContentType = WebhookSubscription.Text }, e, 16 * 1024))!;
        Assert.Equal(
            "Orchest: main run r: failed. Failed: \"Step 1\" (exit code 1), \"Step 2\" (exit code 1), \"Step 3\" (exit code 1) [project:pipeline:interactive-session:pipeline-run:failed, project p]",
            (string?)text["text"]);
    }
}
