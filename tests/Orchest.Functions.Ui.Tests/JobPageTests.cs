using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Orchest.Functions.Ui.Tests.Support;
using Orchest.Testing;
using static Microsoft.Playwright.Assertions;

namespace Orchest.Functions.Ui.Tests;

/// <summary>Jobs in the browser: create a cron job (a refused form first), watch its runs appear, pause, trigger now, resume, cancel.</summary>
[Collection(UiCollection.Name)]
public sealed partial class JobPageTests(UiWorld world)
{
    private static readonly float TickTimeout = 60_000;

    [CommandsFact("chromium")]
    public async Task CronJob_CreatedInTheBrowser_ItsRunsAppearAndItPausesTriggersResumesAndCancels()
    {
        var pipeline = new PipelineBuilder("ui-job").Shell("Tick");
        using var origin = UiWorld.Repository(pipeline, "job.orchest");
        var page = await world.NewPageAsync();
        await world.SignInAsync(page);
        var projectId = await UiWorld.AddProjectAsync(page, "jobs-" + world.Prefix, origin.Root);
        await page.GetByRole(AriaRole.Link, new() { Name = "Jobs" }).ClickAsync();
        await Expect(page.GetByText("No jobs yet")).ToBeVisibleAsync();
        await UiWorld.ScreenshotAsync(page, "jobs-empty");

        // A bad cron expression: the API's message, and the form keeps what was typed.
        await page.GetByRole(AriaRole.Link, new() { Name = "Create a job" }).ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("every five seconds");
        await page.GetByLabel("Cron expression").FillAsync("every 5 seconds");
        await page.GetByLabel("Time zone").FillAsync("Europe/Berlin");
        var refused = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Create job" }).ClickAsync(), r => r.Request.Method == "POST");
        Assert.Equal(400, refused.Status);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("\"cron\" \"every 5 seconds\" is not a valid cron expression");
        await Expect(page.GetByLabel("Cron expression")).ToHaveValueAsync("every 5 seconds");
        await Expect(page.GetByLabel("Name", new() { Exact = true })).ToHaveValueAsync("every five seconds");
        await Expect(page.GetByLabel("Time zone")).ToHaveValueAsync("Europe/Berlin");
        await UiWorld.ScreenshotAsync(page, "job-create-refused");

        await page.GetByLabel("Cron expression").FillAsync("*/5 * * * * *");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create job" }).ClickAsync();
        await page.WaitForURLAsync(JobUrl());
        var jobUrl = new Uri(page.Url).AbsolutePath;
        var status = page.Locator("[data-refresh=job-state] .run-status [data-f=status]");
        await Expect(status).ToHaveTextAsync("STARTED");
        await Expect(page.Locator("dl.facts")).ToContainTextAsync("cron */5 * * * * * (Europe/Berlin)");

        // The page shows the ticks' runs as they come (no reload), each linking to its run page.
        var runs = page.Locator("table.runs tbody tr");
        await Expect(runs.First).ToBeVisibleAsync(new() { Timeout = TickTimeout });
        await Expect(page.Locator("table.runs tbody tr .badge.s-success").First).ToBeVisibleAsync(new() { Timeout = TickTimeout });
        await Expect(page.Locator("table.ticks")).ToContainTextAsync("scheduled");

        // The project's jobs page: schedule, status, next tick and the last runs with their status.
        await page.GotoAsync($"/projects/{projectId}/jobs");
        var row = page.Locator("table.jobs tbody tr");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("every five seconds");
        await Expect(row).ToContainTextAsync("cron */5 * * * * * (Europe/Berlin)");
        await Expect(row).ToContainTextAsync("STARTED");
        await Expect(row.Locator(".run-chips a[aria-label*='SUCCESS']").First).ToBeVisibleAsync();
        await UiWorld.ScreenshotAsync(page, "jobs");

        // The project's page lists the ticks' runs as they come, without a reload.
        await page.GotoAsync($"/projects/{projectId}");
        var recent = page.Locator("[data-refresh=project-runs] table.runs tbody tr");
        var seen = await recent.CountAsync();
        await Expect(recent).Not.ToHaveCountAsync(seen, new() { Timeout = TickTimeout });

        // Pause: no more ticks; trigger now still runs one; resume; cancel.
        await page.GotoAsync(jobUrl);
        await page.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
        await Expect(status).ToHaveTextAsync("PAUSED", new() { Timeout = 30_000 });
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Resume" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Pause" })).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Trigger now" }).ClickAsync();
        await Expect(page.Locator("table.ticks")).ToContainTextAsync("triggered", new() { Timeout = TickTimeout });
        await Expect(status).ToHaveTextAsync("PAUSED");
        await UiWorld.ScreenshotAsync(page, "job");

        await page.GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();
        await Expect(status).ToHaveTextAsync("STARTED", new() { Timeout = 30_000 });

        // A tab on the project's jobs: it follows the job to its end without a reload.
        var list = await page.Context.NewPageAsync();
        await list.GotoAsync($"/projects/{projectId}/jobs");
        await Expect(list.Locator("[data-refresh=jobs] table.jobs tbody tr")).ToContainTextAsync("STARTED");

        // A second tab (its script blocked, so its page stays as loaded) keeps a Pause button the job outlives.
        var stale = await page.Context.NewPageAsync();
        await stale.RouteAsync("**/ui/assets/ui.js*", route => route.AbortAsync());
        await stale.GotoAsync(jobUrl);
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel job" }).ClickAsync();
        await Expect(status).ToHaveTextAsync("ABORTED", new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-refresh=job-state] button")).ToHaveCountAsync(0);
        var conflict = await stale.RunAndWaitForResponseAsync(
            () => stale.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync(), r => r.Request.Method == "POST");
        Assert.Equal(409, conflict.Status);
        await Expect(stale.GetByRole(AriaRole.Alert)).ToContainTextAsync("Only a STARTED cron job can be paused");
        await Expect(stale.Locator("[data-refresh=job-state] .run-status [data-f=status]")).ToHaveTextAsync("ABORTED");

        await Expect(list.Locator("[data-refresh=jobs] table.jobs tbody tr")).ToContainTextAsync("ABORTED", new() { Timeout = 30_000 });
        await page.GotoAsync($"/projects/{projectId}/jobs");
        await Expect(page.Locator("table.jobs tbody tr")).ToContainTextAsync("ABORTED");

        // An unknown job is the not-found page.
        var missing = await page.GotoAsync("/jobs/" + Guid.NewGuid());
        Assert.Equal(404, missing!.Status);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("There is no job");
        Assert.Equal(404, (await page.GotoAsync("/jobs/not-a-job"))!.Status);
    }

    [GeneratedRegex("/jobs/[0-9a-f-]{36}$")]
    private static partial Regex JobUrl();
}
