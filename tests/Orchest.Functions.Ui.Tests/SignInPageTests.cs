using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Orchest.Functions.Ui.Tests.Support;
using Orchest.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Orchest.Functions.Ui.Tests;

/// <summary>Sign-in, what is shown without it, the cookie, forms from elsewhere, and what the first page costs.</summary>
[Collection(UiCollection.Name)]
public sealed partial class SignInPageTests(UiWorld world, ITestOutputHelper output)
{
    [CommandsFact("chromium")]
    public async Task SignIn_WrongKey_IsRefusedAndNothingIsShown()
    {
        var page = await world.NewPageAsync();
        foreach (var path in (string[])["/", "/projects", $"/runs/{Guid.NewGuid()}", $"/projects/{Guid.NewGuid()}/runs/new"])
        {
            await page.GotoAsync(path);
            await Expect(page).ToHaveURLAsync(new Regex("/sign-in\\?next="));
        }

        var state = await page.Context.APIRequest.GetAsync($"/ui/runs/{Guid.NewGuid()}/state");
        Assert.Equal(401, state.Status);

        await page.GetByLabel("API key").FillAsync("not-" + world.ApiKey);
        var refused = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(), r => r.Url.EndsWith("/sign-in", StringComparison.Ordinal));
        Assert.Equal(401, refused.Status);
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That API key is not valid on this host.");
        await UiWorld.ScreenshotAsync(page, "sign-in-refused");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "orchest-key");
        await page.GotoAsync("/projects");
        await Expect(page).ToHaveURLAsync(new Regex("/sign-in\\?next=%2Fprojects$"));
    }

    [CommandsFact("chromium")]
    public async Task SignIn_RightKey_KeyLivesOnlyInAnHttpOnlyStrictCookieAndForeignFormsAreRefused()
    {
        var page = await world.NewPageAsync();
        await page.GotoAsync($"/projects/{Guid.NewGuid()}");
        await page.GetByLabel("API key").FillAsync(world.ApiKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        // Back where the browser wanted to go: a missing project is a clear page, not an error dump.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not found" })).ToBeVisibleAsync();
        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "orchest-key");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.DoesNotContain(world.ApiKey, await page.EvaluateAsync<string>("document.cookie"), StringComparison.Ordinal);
        await page.GotoAsync("/projects");
        Assert.DoesNotContain(world.ApiKey, await page.ContentAsync(), StringComparison.Ordinal);

        // A form posted without this site's antiforgery token (as another site's page would) changes nothing.
        var form = page.Context.APIRequest.CreateFormData();
        form.Set("name", "forged");
        form.Set("repository", world.Root);
        var forged = await page.Context.APIRequest.PostAsync("/projects", new() { Form = form });
        Assert.Equal(400, forged.Status);
        Assert.Contains("The form could not be accepted", await forged.TextAsync(), StringComparison.Ordinal);
        await page.ReloadAsync();
        await Expect(page.GetByText("forged")).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/sign-in$"));
        await page.GotoAsync("/projects");
        await Expect(page).ToHaveURLAsync(new Regex("/sign-in\\?next="));
    }

    [CommandsFact("chromium")]
    public async Task SignIn_FormOfOneHostPostedToAnother_IsAccepted()
    {
        // Hosts behind one address share the antiforgery key ring through storage: a form from one is good on any.
        var second = await world.SecondHostAsync();
        var page = await world.NewPageAsync();
        await page.GotoAsync("/sign-in");
        var form = page.Context.APIRequest.CreateFormData();
        form.Set("__form", await page.Locator("input[name=__form]").InputValueAsync());
        form.Set("key", world.ApiKey);
        form.Set("next", "/projects");

        // The browser's cookies (the antiforgery one is from the first host) go along: cookies do not depend on the port.
        var response = await page.Context.APIRequest.PostAsync($"{second.BaseAddress}sign-in", new() { Form = form, MaxRedirects = 0 });

        Assert.Equal(303, response.Status);
        Assert.Equal("/projects", response.Headers["location"]);
        Assert.Contains("orchest-key=", response.Headers["set-cookie"], StringComparison.Ordinal);
    }

    [CommandsFact("chromium")]
    public async Task FirstPages_TransferredBytes_StayUnder200KB()
    {
        var page = await world.NewPageAsync();
        var signIn = await TransferredAsync(page, () => page.GotoAsync("/sign-in"));
        await page.GetByLabel("API key").FillAsync(world.ApiKey);
        var projects = await TransferredAsync(page, () => page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync());
        var measured = $"sign-in page: {signIn:N0} bytes transferred; projects page after sign-in: {projects:N0} bytes (assets cached)";
        output.WriteLine(measured);
        await File.WriteAllTextAsync(Path.Combine(UiWorld.Screenshots, "first-page-bytes.txt"), measured + "\n");
        Assert.InRange(signIn, 1, 200 * 1024);
        Assert.InRange(projects, 1, 200 * 1024);
    }

    /// <summary>Bytes on the wire (headers and bodies of every response) while <paramref name="action"/> loads a page.</summary>
    private static async Task<long> TransferredAsync(IPage page, Func<Task> action)
    {
        var responses = new List<IResponse>();
        void Record(object? sender, IResponse response) => responses.Add(response);
        page.Response += Record;
        await action();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        page.Response -= Record;
        long total = 0;
        foreach (var response in responses)
        {
            var sizes = await response.Request.SizesAsync();
            total += sizes.ResponseHeadersSize + sizes.ResponseBodySize;
        }

        return total;
    }
}
