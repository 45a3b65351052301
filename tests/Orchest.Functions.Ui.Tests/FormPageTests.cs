using Microsoft.Playwright;
using Orchest.Functions.Ui.Tests.Support;
using Orchest.Testing;
using static Microsoft.Playwright.Assertions;

namespace Orchest.Functions.Ui.Tests;

/// <summary>Forms with bad input say what is wrong (the API's own messages) and keep what was typed.</summary>
[Collection(UiCollection.Name)]
public sealed class FormPageTests(UiWorld world)
{
    [CommandsFact("chromium")]
    public async Task Forms_BadInput_ListEveryProblemAndKeepWhatWasTyped()
    {
        var page = await world.NewPageAsync();
        await world.SignInAsync(page);

        // A project whose repository is not there.
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("nowhere");
        await page.GetByLabel("Repository").FillAsync("/no/such/repository");
        var added = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Add project" }).ClickAsync(), r => r.Request.Method == "POST");
        Assert.Equal(400, added.Status);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("\"repository\" \"/no/such/repository\" is a local path that does not exist on this host.");
        await Expect(page.GetByLabel("Name", new() { Exact = true })).ToHaveValueAsync("nowhere");

        // A run with parameters that are not an object, then a selection run without steps.
        var pipeline = new PipelineBuilder("forms").Shell("Only");
        using var origin = UiWorld.Repository(pipeline, "forms.orchest");
        await UiWorld.AddProjectAsync(page, "forms-" + world.Prefix, origin.Root);
        await page.GetByRole(AriaRole.Link, new() { Name = "Start a run of forms.orchest" }).ClickAsync();
        await page.GetByLabel("Parameters").FillAsync("[1, 2]");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start run" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("\"Parameters\" must be a JSON object");
        await Expect(page.GetByLabel("Parameters")).ToHaveValueAsync("[1, 2]");

        await page.GetByLabel("Parameters").FillAsync("{}");
        await page.GetByLabel("Selection: the chosen steps, connected only to each other").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Start run" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The run was not started");
        await Expect(page.GetByLabel("Selection: the chosen steps, connected only to each other")).ToBeCheckedAsync();
        await UiWorld.ScreenshotAsync(page, "start-run-refused");
        await page.GotoAsync(new Uri(page.Url).AbsolutePath.Replace("/runs", "", StringComparison.Ordinal));
        await Expect(page.GetByText("No runs yet")).ToBeVisibleAsync();
    }
}
