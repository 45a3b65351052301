using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Orchest.Functions.Ui.Tests.Support;
using Orchest.Testing;
using static Microsoft.Playwright.Assertions;

namespace Orchest.Functions.Ui.Tests;

/// <summary>The quickstart as a person runs it in the browser: register, start, watch the graph, read a log, open the notebook.</summary>
[Collection(UiCollection.Name)]
public sealed partial class QuickstartPageTests(UiWorld world)
{
    private static readonly float RunTimeout = 150_000;

    [CommandsFact("chromium")]
    public async Task Quickstart_StartedInTheBrowser_EveryStepTurnsSuccessAndItsLogAndNotebookOpen()
    {
        using var origin = new GitOrigin("ui-quickstart");
        origin.CopyFrom(Path.Combine(OrchestBinary.RepositoryRoot(), "samples", "quickstart"), ".orchest/runs", ".orchest/pipelines", ".orchest/data");
        origin.Commit("quickstart");
        var page = await world.NewPageAsync();
        await world.SignInAsync(page);
        await Expect(page.GetByText("No projects yet")).ToBeVisibleAsync();
        await UiWorld.ScreenshotAsync(page, "projects-empty");

        var projectId = await UiWorld.AddProjectAsync(page, "quickstart-" + world.Prefix, origin.Root);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "quickstart-" + world.Prefix })).ToBeVisibleAsync();
        await Expect(page.GetByText("No runs yet")).ToBeVisibleAsync();

        // Start a run: the form shows the pipeline's graph at the positions of its file.
        await page.GetByRole(AriaRole.Link, new() { Name = "Start a run of quickstart.orchest" }).ClickAsync();
        await Expect(page.Locator("svg.graph a.node")).ToHaveCountAsync(5);
        await page.GetByLabel("Parameters").FillAsync("{\"report_title\": \"From the browser\"}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start run" }).ClickAsync();
        await page.WaitForURLAsync(RunUrl());

        // The page follows the run's event stream by itself (no reload): every step's box turns SUCCESS.
        var nodes = page.Locator("svg.graph a.node");
        await Expect(page.Locator("svg.graph a.node.s-success")).ToHaveCountAsync(5, new() { Timeout = RunTimeout });
        await Expect(page.Locator("[data-run][data-feed=events]")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-run-status] [data-f=status]")).ToHaveTextAsync("SUCCESS");
        await Expect(page.Locator("[data-cancel]")).ToHaveCountAsync(0);
        for (var i = 0; i < 5; i++)
        {
            // Status in words for people who do not see the colour.
            await Expect(nodes.Nth(i)).ToHaveAttributeAsync("aria-label", new Regex(": SUCCESS, [0-9.]+ s"));
        }

        await UiWorld.ScreenshotAsync(page, "run");

        // A step's log from the keyboard: its box in the graph takes focus and Enter opens it.
        await page.Locator("a.node[data-title='Check input']").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(new Regex("step="));
        await Expect(page.Locator("pre.log")).ToContainTextAsync("input ok:");
        await UiWorld.ScreenshotAsync(page, "run-step-log");

        // Outputs download with their stored bytes.
        await page.Locator("a.node[data-title='Load and clean']").ClickAsync();
        var stats = page.GetByRole(AriaRole.Link, new() { Name = "cleaning_stats" });
        await Expect(stats).ToBeVisibleAsync();
        await UiWorld.ScreenshotAsync(page, "run-step-outputs");
        var download = await page.Context.APIRequest.GetAsync(await stats.GetAttributeAsync("href") ?? "");
        Assert.Equal(200, download.Status);
        Assert.Contains("attachment", download.Headers["content-disposition"], StringComparison.Ordinal);
        Assert.Contains("rows_out", await download.TextAsync(), StringComparison.Ordinal);

        // The executed notebook, rendered: cells with their outputs.
        await page.Locator("a.node[data-title='Morphology features']").ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Open the executed notebook" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Notebook: Morphology features" })).ToBeVisibleAsync();
        Assert.True(await page.Locator("li.cell.code").CountAsync() > 0, "code cells");
        Assert.True(await page.Locator("li.cell .output").CountAsync() > 0, "cell outputs");
        await UiWorld.ScreenshotAsync(page, "notebook");

        // The project lists the run; it has no jobs yet.
        await page.GotoAsync($"/projects/{projectId}");
        var row = page.Locator("table.runs tbody tr");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.First).ToContainTextAsync("SUCCESS");
        await Expect(row.First).ToContainTextAsync("manual");
        await UiWorld.ScreenshotAsync(page, "project");
        await page.GetByRole(AriaRole.Link, new() { Name = "Jobs" }).ClickAsync();
        await Expect(page.GetByText("No jobs yet")).ToBeVisibleAsync();
        await page.GotoAsync("/projects");
        await UiWorld.ScreenshotAsync(page, "projects");
    }

    [GeneratedRegex("/runs/[0-9a-f-]{36}$")]
    private static partial Regex RunUrl();
}
