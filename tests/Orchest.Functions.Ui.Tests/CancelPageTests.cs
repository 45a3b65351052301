using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Orchest.Functions.Ui.Tests.Support;
using Orchest.Testing;
using static Microsoft.Playwright.Assertions;

namespace Orchest.Functions.Ui.Tests;

/// <summary>A long run in the browser: a live log tail that shows markup as text, and cancel.</summary>
[Collection(UiCollection.Name)]
public sealed partial class CancelPageTests(UiWorld world)
{
    private const string Markup = "<script>document.title = 'pwned'</script><img src=x onerror=\"document.title = 'pwned'\"><b>not bold</b>";

    [CommandsFact("chromium")]
    public async Task LongRun_LogTailAndCancel_MarkupStaysTextAndTheRunEndsAborted()
    {
        var flags = Directory.CreateDirectory(Path.Combine(world.Root, "flags-" + Guid.NewGuid().ToString("n")[..8])).FullName;
        var marker = "orchest-ui-cancel-" + world.Prefix;
        var pipeline = new PipelineBuilder("ui-cancel")
            .Step("Shout", "shout.sh",
                $"""
                cat <<'MARKUP'
                {Markup}
                MARKUP
                while [ ! -f "{flags}/go" ]; do sleep 0.1; done
                echo "second line"
                """)
            .Step("Wait", "wait.sh", $"exec -a {marker} sleep 300\n");
        using var origin = UiWorld.Repository(pipeline, "cancel.orchest");
        try
        {
            await RunAndCancelAsync(origin, flags, marker);
        }
        finally
        {
            foreach (var pid in ProcessTable.FindByMarker(marker))
            {
                await OrchestServeProcess.SignalAsync(pid, "KILL");
            }
        }
    }

    private async Task RunAndCancelAsync(GitOrigin origin, string flags, string marker)
    {
        var page = await world.NewPageAsync();
        await world.SignInAsync(page);
        await UiWorld.AddProjectAsync(page, "cancel-" + world.Prefix, origin.Root);
        await page.GetByRole(AriaRole.Link, new() { Name = "Start a run of cancel.orchest" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Start run" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/runs/[0-9a-f-]{36}$"));
        var title = await page.TitleAsync();

        // The step's log while it runs: the markup it printed is text, and nothing of it ran.
        await Expect(page.Locator("a.node.s-started[data-title='Shout']")).ToHaveCountAsync(1, new() { Timeout = 60_000 });
        await page.Locator("a.node[data-title='Shout']").ClickAsync();
        var log = page.Locator("pre.log");
        await Expect(log).ToContainTextAsync(Markup);
        Assert.Equal(0, await log.Locator("script, img, b").CountAsync());
        Assert.Equal(title, await page.TitleAsync());

        // The tail follows the log without a reload, and the box turns SUCCESS when the step ends.
        await File.WriteAllTextAsync(Path.Combine(flags, "go"), "");
        await Expect(log).ToContainTextAsync("second line", new() { Timeout = 30_000 });
        await Expect(page.Locator("a.node.s-success[data-title='Shout']")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        Assert.Equal(title, await page.TitleAsync());
        await UiWorld.ScreenshotAsync(page, "run-live-log");

        // Cancel: the run ends ABORTED and says so in words.
        await Expect(page.Locator("a.node.s-started[data-title='Wait']")).ToHaveCountAsync(1);
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel run" }).ClickAsync();
        await Expect(page.Locator("[data-run-status] [data-f=status]")).ToHaveTextAsync("ABORTED", new() { Timeout = 30_000 });
        await Expect(page.Locator("a.node[data-title='Wait']")).ToHaveAttributeAsync("aria-label", new Regex("^Wait: ABORTED"));
        await Expect(page.Locator("a.node.s-success[data-title='Shout']")).ToHaveCountAsync(1);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cancel run" })).ToHaveCountAsync(0);
        await UiWorld.ScreenshotAsync(page, "run-aborted");
        Assert.Empty(await ProcessTable.WaitGoneAsync(marker, TimeSpan.FromSeconds(15)));
    }
}
