using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Orchest.Testing;

namespace Orchest.Functions.Tests.Support;

/// <summary>
/// The function host in-process (WebApplicationFactory over the real Program) with the api role only,
/// a small body limit and its own storage prefix, plus one registered project holding a valid and a
/// broken pipeline and one (never executed) run. Started on first use, from the test's Azurite.
/// </summary>
public sealed class ApiHostFixture : IAsyncLifetime, IDisposable
{
    public const long BodyLimit = 2048;
    public const string ProjectName = "fixture-project";

    /// <summary>The name of the one webhook signing secret the fixture's host has.</summary>
    public const string WebhookSecret = "fixture-secret";

    private readonly Lock _gate = new();
    private Task? _started;
    private WebApplicationFactory<Program>? _factory;
    private GitOrigin? _origin;

    public string Prefix { get; } = "t" + Guid.NewGuid().ToString("n")[..12];
    public string ApiKey { get; } = "key-" + Guid.NewGuid().ToString("n");
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "orchest-tests", "api-" + Guid.NewGuid().ToString("n"));

    public PipelineBuilder Good { get; } = new PipelineBuilder("good").Shell("A").Shell("B", "A");
    public string ProjectId { get; private set; } = "";
    public string RunId { get; private set; } = "";
    public string Commit { get; private set; } = "";
    internal StorageInspector Storage { get; private set; } = null!;

    /// <summary>A client sending the API key (or none with <paramref name="withKey"/> false).</summary>
    internal async Task<ApiClient> ClientAsync(AzuriteFixture azurite, bool withKey = true)
    {
        lock (_gate)
        {
            _started ??= StartAsync(azurite);
        }

        await _started;

        var client = _factory!.CreateClient();
        if (withKey)
        {
            client.DefaultRequestHeaders.Add("x-functions-key", ApiKey);
        }

        return new ApiClient(client);
    }

    internal WebApplicationFactory<Program> Factory => _factory ?? throw new InvalidOperationException("not started");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
            await Storage.DeleteAllAsync();
        }
    }

    public void Dispose()
    {
        _origin?.Dispose();
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    private async Task StartAsync(AzuriteFixture azurite)
    {
        Storage = new StorageInspector(azurite.ConnectionString, Prefix);
        _origin = new GitOrigin("api");
        foreach (var (file, content) in Good.StepFiles)
        {
            _origin.Write(file, content, executable: true);
        }

        _origin.Write("good.orchest", Good.ToJson());
        var broken = new PipelineBuilder("broken")
            .Step("X", "x.sh", "echo x\n", ["Y"])
            .Step("Y", "y.sh", "echo y\n", ["X"])
            .Step("Z", "missing.py");
        foreach (var (file, content) in broken.StepFiles)
        {
            _origin.Write(file, content);
        }

        _origin.Write("broken.orchest", broken.ToJson());

        // Valid, but declares a service: served runs refuse it (they do not start services yet).
        var withService = System.Text.Json.Nodes.JsonNode.Parse(new PipelineBuilder("with-service").Step("S", "x.sh", "echo x\n").ToJson())!.AsObject();
        withService["services"] = System.Text.Json.Nodes.JsonNode.Parse(
            """{"redis": {"name": "redis", "image": "orchest/redis:local", "ports": [6379], "scope": ["noninteractive"], "order": 0, "exposed": false}}""");
        _origin.Write("service.orchest", withService.ToJsonString());
        Commit = _origin.Commit("two pipelines");

        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("AzureWebJobsStorage", azurite.ConnectionString);
            web.UseSetting("Orchest:Storage:NamePrefix", Prefix);
            web.UseSetting("Orchest:Roles", "api");
            web.UseSetting("Orchest:ApiKeys:0", ApiKey);
            web.UseSetting("Orchest:MaxRequestBodyBytes", BodyLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));
            web.UseSetting("Orchest:Git:CacheDirectory", Path.Combine(Root, "git"));
            web.UseSetting("Orchest:Storage:LocalDirectory", Path.Combine(Root, "served"));
            web.UseSetting($"Orchest:WebhookSecrets:{WebhookSecret}", "a signing secret of the fixture");
        });

        using var api = new ApiClient(_factory.CreateClient());
        api.Http.DefaultRequestHeaders.Add("x-functions-key", ApiKey);
        ProjectId = await api.CreateProjectAsync(ProjectName, _origin.Root);
        RunId = (string)(await api.CreateRunAsync(ProjectId, new JsonObject { ["pipeline"] = "good.orchest" }))["id"]!;
    }
}
