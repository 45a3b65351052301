using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Orchest.Functions.Ui.Tests.Support;
using Orchest.Testing;
using static Microsoft.Playwright.Assertions;

namespace Orchest.Functions.Ui.Tests;

/// <summary>The run page's event stream relay: polling when the stream cannot be had, resuming after Last-Event-ID, only for a signed-in browser.</summary>
[Collection(UiCollection.Name)]
public sealed partial class EventRelayTests(UiWorld world)
{
    [CommandsFact("chromium")]
    public async Task RunPage_StreamRefused_PollsToTheEndAndTheRelayResumesAfterLastEventId()
    {
        var pipeline = new PipelineBuilder("ui-relay").Shell("First").Shell("Second", "First");
        using var origin = UiWorld.Repository(pipeline, "relay.orchest");
        var page = await world.NewPageAsync();
        await world.SignInAsync(page);
        await UiWorld.AddProjectAsync(page, "relay-" + world.Prefix, origin.Root);

        // The stream answers 503: EventSource gives up and the page polls the run's state instead.
        await page.RouteAsync("**/ui/runs/*/events", route => route.FulfillAsync(new() { Status = 503, Body = "" }));
        await page.GetByRole(AriaRole.Link, new() { Name = "Start a run of relay.orchest" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Start run" }).ClickAsync();
        await page.WaitForURLAsync(RunUrl());
        await Expect(page.Locator("svg.graph a.node.s-success")).ToHaveCountAsync(2, new() { Timeout = 90_000 });
        await Expect(page.Locator("[data-run-status] [data-f=status]")).ToHaveTextAsync("SUCCESS");
        await Expect(page.Locator("[data-run][data-feed=polling]")).ToHaveCountAsync(1);
        var run = new Uri(page.Url).Segments[^1];

        // The relay is the API's stream on the session: every event after Last-Event-ID, then "end".
        var all = await (await page.Context.APIRequest.GetAsync($"/ui/runs/{run}/events")).TextAsync();
        Assert.Contains($"id: {run}-000000\n", all, StringComparison.Ordinal);
        var resumed = await page.Context.APIRequest.GetAsync(
            $"/ui/runs/{run}/events", new() { Headers = new Dictionary<string, string> { ["Last-Event-ID"] = $"{run}-000001" } });
        Assert.Equal(200, resumed.Status);
        Assert.Equal("text/event-stream", resumed.Headers["content-type"]);
        var text = await resumed.TextAsync();
        Assert.DoesNotContain($"id: {run}-000000\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain($"id: {run}-000001\n", text, StringComparison.Ordinal);
        Assert.Contains($"id: {run}-000002\n", text, StringComparison.Ordinal);
        Assert.Contains("event: end\ndata: {\"run\":\"" + run + "\",\"status\":\"SUCCESS\"}", text, StringComparison.Ordinal);
        Assert.Equal(all.Split("\nid: ").Length - 2, text.Split("\nid: ").Length);

        var wrong = await page.Context.APIRequest.GetAsync(
            $"/ui/runs/{run}/events", new() { Headers = new Dictionary<string, string> { ["Last-Event-ID"] = "another-run-000001" } });
        Assert.Equal(400, wrong.Status);
        Assert.Contains("is not an event id of run", await wrong.TextAsync(), StringComparison.Ordinal);

        // Without a session: 401, nothing streamed.
        var stranger = await world.NewPageAsync();
        var refused = await stranger.Context.APIRequest.GetAsync($"/ui/runs/{run}/events");
        Assert.Equal(401, refused.Status);
    }

    [GeneratedRegex("/runs/[0-9a-f-]{36}$")]
    private static partial Regex RunUrl();
}
