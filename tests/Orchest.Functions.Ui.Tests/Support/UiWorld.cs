using System.Text;
using Microsoft.Playwright;
using Orchest.Testing;

namespace Orchest.Functions.Ui.Tests.Support;

/// <summary>
/// What the browser tests drive: Azurite on free ports, one real `orchest serve` (api, worker, timers) with
/// its own API key and storage prefix, and Debian's headless Chromium through Playwright (which cannot
/// download a browser here). Each test takes a fresh browser context (no cookies). Screenshots go to
/// artifacts/ui/. Without chromium the fixture fails (CI) or the tests are skipped ([CommandsFact]).
/// </summary>
public sealed class UiWorld : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private OrchestServeProcess? _second;

    public string Prefix { get; } = "u" + Guid.NewGuid().ToString("n")[..12];
    public string ApiKey { get; } = "key-" + Guid.NewGuid().ToString("n");
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "orchest-tests", "ui-" + Guid.NewGuid().ToString("n")[..12]);
    public OrchestServeProcess Host { get; private set; } = null!;
    public Uri BaseAddress => Host.BaseAddress;
    public static string Screenshots { get; } = Path.Combine(OrchestBinary.RepositoryRoot(), "artifacts", "ui");

    public async Task InitializeAsync()
    {
        if (Required.MissingCommand("chromium") is not null && !Required.InCi)
        {
            return; // every test here is skipped ([CommandsFact("chromium")])
        }

        var chromium = Chromium();
        Directory.CreateDirectory(Root);
        await _azurite.InitializeAsync();
        var folder = Directory.CreateDirectory(Path.Combine(Root, "host")).FullName;
        var start = OrchestServeProcess.StartAsync(
            "ui", ServedHostArguments.For("api,worker,timers", _azurite.ConnectionString, Prefix, folder, "ui"),
            new Dictionary<string, string?> { ["ORCHEST_API_KEY"] = ApiKey }, workingDirectory: folder);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,

            // Without these, Chromium keeps calling Google's hosts, which this machine's closed network refuses.
            Args = ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Host = await start;
        Directory.CreateDirectory(Screenshots);
    }

    /// <summary>A second host of the same installation (same storage, same keys), started on first use.</summary>
    public async Task<OrchestServeProcess> SecondHostAsync()
    {
        if (_second is null)
        {
            var folder = Directory.CreateDirectory(Path.Combine(Root, "second")).FullName;
            _second = await OrchestServeProcess.StartAsync(
                "second", ServedHostArguments.For("api", _azurite.ConnectionString, Prefix, folder, "second"),
                new Dictionary<string, string?> { ["ORCHEST_API_KEY"] = ApiKey }, workingDirectory: folder);
        }

        return _second;
    }

    /// <summary>A page in a fresh browser context (its own cookies), on the host, 1280 × 800.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the form, as a person would, and lands on the projects page.</summary>
    public async Task SignInAsync(IPage page)
    {
        await page.GotoAsync("/");
        await page.GetByLabel("API key").FillAsync(ApiKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/projects");
    }

    /// <summary>Registers a repository through the add-project form and returns the project's id.</summary>
    public static async Task<string> AddProjectAsync(IPage page, string name, string repository)
    {
        await page.GotoAsync("/projects");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Repository").FillAsync(repository);
        await page.GetByLabel("Branch").FillAsync("main");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add project" }).ClickAsync();
        await page.WaitForURLAsync("**/projects/*-*");
        return new Uri(page.Url).Segments[^1];
    }

    /// <summary>A git repository holding <paramref name="pipeline"/> at <paramref name="path"/> and its step files, committed on main.</summary>
    public static GitOrigin Repository(PipelineBuilder pipeline, string path)
    {
        var origin = new GitOrigin("ui");
        foreach (var (file, content) in pipeline.StepFiles)
        {
            origin.Write(file, content, executable: true);
        }

        origin.Write(path, pipeline.ToJson());
        origin.Commit(pipeline.Name);
        return origin;
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });

    /// <summary>The host's output, for failure messages.</summary>
    public string HostOutput() => Host?.ToString() ?? "(no host)";

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        if (_second is not null)
        {
            await _second.DisposeAsync();
        }

        await _azurite.DisposeAsync();
        if (Directory.Exists(Root))
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
                // A step process may still hold a file; the temp folder is reclaimed later.
            }
        }
    }

    private static string Chromium()
    {
        foreach (var candidate in (string[])[Environment.GetEnvironmentVariable("ORCHEST_TEST_CHROMIUM") ?? "", "/usr/bin/chromium", "/usr/bin/chromium-browser"])
        {
            if (candidate.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(new StringBuilder()
            .Append("The browser tests need Debian's chromium (/usr/bin/chromium): `apt-get install chromium` ")
            .Append("(infra/test.sh installs it when run as root), or set ORCHEST_TEST_CHROMIUM to a Chromium binary.").ToString());
    }
}
