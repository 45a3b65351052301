using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orchest.Functions.Tests.Support;
using Orchest.Durable.AzureStorage;
using Orchest.Testing;

namespace Orchest.Functions.Tests;

/// <summary>
/// Every bad request gets its status code and a specific <c>detail</c>, and changes nothing in storage.
/// In-process host (WebApplicationFactory) with the api role only.
/// </summary>
[Collection(ServedCollection.Name)]
public sealed class BadRequestTests(AzuriteFixture azurite, ApiHostFixture host) : IClassFixture<ApiHostFixture>
{
    [Fact]
    public async Task ApiKey_MissingOrWrong_Returns401_CodeQueryWorks_HealthNeedsNone()
    {
        using var anonymous = await host.ClientAsync(azurite, withKey: false);

        await AssertProblemAsync(anonymous, HttpMethod.Get, "api/projects", null, HttpStatusCode.Unauthorized,
            "An API key is required: send it in the x-functions-key header or the code query parameter.");
        anonymous.Http.DefaultRequestHeaders.Add("x-functions-key", "not-the-key");
        await AssertProblemAsync(anonymous, HttpMethod.Get, "api/projects", null, HttpStatusCode.Unauthorized, "The API key is not valid.");
        await AssertProblemAsync(anonymous, HttpMethod.Get, $"api/runs/{host.RunId}", null, HttpStatusCode.Unauthorized, "The API key is not valid.");

        using var byQuery = await host.ClientAsync(azurite, withKey: false);
        using var listed = await byQuery.Http.GetAsync($"api/projects?code={host.ApiKey}");
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Contains(JsonNode.Parse(await listed.Content.ReadAsStringAsync())!.AsArray(), p => (string?)p!["id"] == host.ProjectId);
        using var health = await byQuery.Http.GetAsync("api/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("api", (string?)JsonNode.Parse(await health.Content.ReadAsStringAsync())!["roles"]);

        // The api role only: this host runs no orchestrations and no steps.
        Assert.False(host.Factory.Services.GetRequiredService<OrchestTaskHub>().RunsWork);
    }

    [Fact]
    public async Task UnknownIds_Return404WithWhatWasNotFound()
    {
        using var api = await host.ClientAsync(azurite);
        var missingRun = Guid.NewGuid().ToString();
        var missingProject = Guid.NewGuid().ToString();
        var step = host.Good.StepUuid("A");
        var before = await StateAsync();

        await AssertProblemAsync(api, HttpMethod.Get, $"api/projects/{missingProject}", null, HttpStatusCode.NotFound, $"Project \"{missingProject}\" does not exist.");
        await AssertProblemAsync(api, HttpMethod.Get, "api/projects/not-a-project", null, HttpStatusCode.NotFound, "Project \"not-a-project\" does not exist.");
        await AssertProblemAsync(api, HttpMethod.Delete, $"api/projects/{missingProject}", null, HttpStatusCode.NotFound, $"Project \"{missingProject}\" does not exist.");
        await AssertProblemAsync(api, HttpMethod.Get, $"api/projects/{missingProject}/pipelines", null, HttpStatusCode.NotFound, $"Project \"{missingProject}\" does not exist.");
        await AssertProblemAsync(api, HttpMethod.Get, $"api/projects/{missingProject}/runs", null, HttpStatusCode.NotFound, $"Project \"{missingProject}\" does not exist.");
        await AssertProblemAsync(api, HttpMethod.Post, $"api/projects/{missingProject}/runs", new JsonObject { ["pipeline"] = "good.orchest" },
            HttpStatusCode.NotFound, $"Project \"{missingProject}\" does not exist.");
        await AssertProblemAsync(api, HttpMethod.Get, $"api/runs/{missingRun}", null, HttpStatusCode.NotFound, $"Run \"{missingRun}\" does not exist.");
        await AssertProblemAsync(api, HttpMethod.Get, "api/runs/not-a-run", null, HttpStatusCode.NotFound, "Run \"not-a-run\" does not exist.");
        await AssertProblemAsync(api, HttpMethod.Delete, $"api/runs/{missingRun}", null, HttpStatusCode.NotFound, $"Run \"{missingRun}\" does not exist.");
        await AssertProblemAsync(api, HttpMethod.Get, $"api/runs/{missingRun}/steps/{step}/logs", null, HttpStatusCode.NotFound,
            $"Run \"{missingRun}\" has no step \"{step}\" (or the run does not exist).");
        await AssertProblemAsync(api, HttpMethod.Get, $"api/runs/{host.RunId}/steps/no-such-step/logs", null, HttpStatusCode.NotFound,
            $"Run \"{host.RunId}\" has no step \"no-such-step\" (or the run does not exist).");
        await AssertProblemAsync(api, HttpMethod.Get, $"api/runs/{host.RunId}/steps/no-such-step/outputs", null, HttpStatusCode.NotFound,
            $"Run \"{host.RunId}\" has no step \"no-such-step\" (or the run does not exist).");
        await AssertProblemAsync(api, HttpMethod.Get, $"api/runs/{host.RunId}/steps/{step}/outputs", null, HttpStatusCode.NotFound,
            $"Step \"A\" of run {host.RunId} has no committed outputs (it is PENDING).");
        await AssertProblemAsync(api, HttpMethod.Get, $"api/runs/{host.RunId}/steps/{step}/notebook", null, HttpStatusCode.NotFound,
            $"Step \"A\" of run {host.RunId} has no executed notebook.");
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task Bodies_InvalidJson_Returns400AndStoresNothing()
    {
        using var api = await host.ClientAsync(azurite);
        var before = await StateAsync();

        var (status, problem, _) = await api.SendAsync(HttpMethod.Post, "api/projects", content: Raw("{\"name\": \"x\", \"repository\": "));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("The request body is not valid JSON: ", (string?)problem!["detail"], StringComparison.Ordinal);

        (status, problem, _) = await api.SendAsync(HttpMethod.Post, $"api/projects/{host.ProjectId}/runs", content: Raw("{\"pipeline\": 42}"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("The request body is not valid JSON: ", (string?)problem!["detail"], StringComparison.Ordinal);
        Assert.Contains("pipeline", (string?)problem["detail"], StringComparison.Ordinal);

        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task Bodies_OverTheConfiguredLimit_Return413AndStoreNothing()
    {
        using var api = await host.ClientAsync(azurite);
        var before = await StateAsync();
        var big = new JsonObject { ["name"] = new string('n', 3000), ["repository"] = "/tmp" }.ToJsonString();
        var expected = $"The request body is larger than the limit of {ApiHostFixture.BodyLimit} bytes (Orchest:MaxRequestBodyBytes).";

        await AssertProblemAsync(api, HttpMethod.Post, "api/projects", null, HttpStatusCode.RequestEntityTooLarge, expected, Raw(big));
        await AssertProblemAsync(api, HttpMethod.Post, $"api/projects/{host.ProjectId}/runs", null, HttpStatusCode.RequestEntityTooLarge, expected,
            Raw(new JsonObject { ["pipeline"] = "good.orchest", ["env"] = new JsonObject { ["BIG"] = new string('v', 3000) } }.ToJsonString()));

        // Without a Content-Length (chunked), the body is cut at the limit while it is read.
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big)));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        await AssertProblemAsync(api, HttpMethod.Post, "api/projects", null, HttpStatusCode.RequestEntityTooLarge, expected, new ChunkedContent(chunked));

        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task CreateProject_InvalidFields_Return400ListingEveryProblemAndStoreNothing()
    {
        using var api = await host.ClientAsync(azurite);
        var before = await StateAsync();
        var missingPath = Path.Combine(Path.GetTempPath(), "orchest-tests", "no-such-repo-" + Guid.NewGuid().ToString("n"));

        var problem = await AssertProblemAsync(api, HttpMethod.Post, "api/projects", new JsonObject { ["branch"] = "main" }, HttpStatusCode.BadRequest,
            "The project is not valid: \"name\" is required and at most 100 characters. \"repository\" is required: an https or ssh URL, a file:// URL or a local path.");
        Assert.Equal(2, problem["errors"]!.AsArray().Count);

        await AssertProblemAsync(api, HttpMethod.Post, "api/projects",
            new JsonObject { ["name"] = "creds", ["repository"] = "https://someone:hunter2@git.example.com/team/repo.git" }, HttpStatusCode.BadRequest,
            "The project is not valid: \"repository\" must not contain credentials: configure them under Orchest:GitCredentials:<name> and pass \"credential\": \"<name>\".");
        await AssertProblemAsync(api, HttpMethod.Post, "api/projects", new JsonObject { ["name"] = "nowhere", ["repository"] = missingPath }, HttpStatusCode.BadRequest,
            $"The project is not valid: \"repository\" \"{missingPath}\" is a local path that does not exist on this host.");
        var unknownCredential = await AssertProblemAsync(api, HttpMethod.Post, "api/projects",
            new JsonObject { ["name"] = "secretive", ["repository"] = "https://git.example.com/team/repo.git", ["credential"] = "nope" }, HttpStatusCode.BadRequest, null);
        Assert.Contains("uses git credential \"nope\", but configuration has no Orchest:GitCredentials:nope:Password, :Token or :SshKeyFile.",
            (string?)unknownCredential["detail"], StringComparison.Ordinal);
        await AssertProblemAsync(api, HttpMethod.Post, "api/projects",
            new JsonObject { ["name"] = "spaces", ["repository"] = "https://git.example.com/team/repo.git", ["branch"] = "my branch" }, HttpStatusCode.BadRequest,
            "The project is not valid: \"branch\" \"my branch\" is not a valid branch name.");

        Assert.Equal(before, await StateAsync());
        var projects = JsonNode.Parse(await api.Http.GetStringAsync("api/projects"))!.AsArray();
        Assert.Equal([host.ProjectId], projects.Select(p => (string)p!["id"]!));
    }

    [Fact]
    public async Task CreateProject_DuplicateName_Returns409AndStoresNothing()
    {
        using var api = await host.ClientAsync(azurite);
        var before = await StateAsync();

        var problem = await AssertProblemAsync(api, HttpMethod.Post, "api/projects",
            new JsonObject { ["name"] = ApiHostFixture.ProjectName.ToUpperInvariant(), ["repository"] = Path.GetTempPath() }, HttpStatusCode.Conflict, null);
        Assert.Contains(host.ProjectId, (string?)problem["detail"], StringComparison.Ordinal);

        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task CreateRun_InvalidPipelineInTheRepository_Returns400ListingEveryProblemAndStoresNothing()
    {
        using var api = await host.ClientAsync(azurite);
        var before = await StateAsync();

        var problem = await AssertProblemAsync(api, HttpMethod.Post, $"api/projects/{host.ProjectId}/runs",
            new JsonObject { ["pipeline"] = "broken.orchest" }, HttpStatusCode.BadRequest, null);

        var detail = (string)problem["detail"]!;
        Assert.StartsWith("The pipeline is not valid: ", detail, StringComparison.Ordinal);
        var errors = problem["errors"]!.AsArray().Select(e => (string)e!).ToList();
        Assert.Contains(errors, e => e.Contains("cycle between steps", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("missing.py", StringComparison.Ordinal) && e.Contains("does not exist", StringComparison.Ordinal));
        Assert.All(errors, e => Assert.Contains(e, detail, StringComparison.Ordinal));
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task CreateRun_PipelineWithServicesOnAProcessRunnerHost_Returns400NamingThemAndTheSettingAndStoresNothing()
    {
        using var api = await host.ClientAsync(azurite);
        var before = await StateAsync();

        var problem = await AssertProblemAsync(api, HttpMethod.Post, $"api/projects/{host.ProjectId}/runs",
            new JsonObject { ["pipeline"] = "service.orchest" }, HttpStatusCode.BadRequest, null);

        Assert.Equal(
            ["service.orchest: the pipeline declares service \"redis\", but the process runner cannot start services; set Orchest:Runner=docker on the served hosts (services run as containers beside the steps) or remove \"services\" from the pipeline."],
            problem["errors"]!.AsArray().Select(e => (string)e!));
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task CreateRun_UnknownPipelineOrRef_Returns400Or404AndStoresNothing()
    {
        using var api = await host.ClientAsync(azurite);
        var before = await StateAsync();

        await AssertProblemAsync(api, HttpMethod.Post, $"api/projects/{host.ProjectId}/runs", new JsonObject { ["pipeline"] = "nope.orchest" },
            HttpStatusCode.BadRequest, "The run request is not valid: Pipeline file \"nope.orchest\" does not exist at that commit (or lies outside the project).");
        await AssertProblemAsync(api, HttpMethod.Post, $"api/projects/{host.ProjectId}/runs", new JsonObject { ["pipeline"] = "../outside.orchest" },
            HttpStatusCode.BadRequest, "The run request is not valid: Pipeline file \"../outside.orchest\" does not exist at that commit (or lies outside the project).");
        var twoPipelines = await AssertProblemAsync(api, HttpMethod.Post, $"api/projects/{host.ProjectId}/runs", new JsonObject(), HttpStatusCode.BadRequest, null);
        Assert.Contains("\"pipeline\" is required", (string?)twoPipelines["detail"], StringComparison.Ordinal);
        var unknownRef = await AssertProblemAsync(api, HttpMethod.Post, $"api/projects/{host.ProjectId}/runs",
            new JsonObject { ["pipeline"] = "good.orchest", ["ref"] = "no-such-branch" }, HttpStatusCode.NotFound, null);
        Assert.Contains("no-such-branch", (string?)unknownRef["detail"], StringComparison.Ordinal);
        var unknownSha = await AssertProblemAsync(api, HttpMethod.Get, $"api/projects/{host.ProjectId}/pipelines?ref={new string('e', 40)}", null, HttpStatusCode.NotFound, null);
        Assert.Contains(new string('e', 40), (string?)unknownSha["detail"], StringComparison.Ordinal);

        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task CreateRun_BadRunTypeStepsAndEnvNames_Returns400ListingEveryProblemAndStoresNothing()
    {
        using var api = await host.ClientAsync(azurite);
        var before = await StateAsync();

        var both = await AssertProblemAsync(api, HttpMethod.Post, $"api/projects/{host.ProjectId}/runs", new JsonObject
        {
            ["pipeline"] = "good.orchest",
            ["run_type"] = "sometimes",
            ["env"] = new JsonObject { ["BAD NAME"] = "x", ["GOOD_NAME"] = "y", ["also=bad"] = "z" },
        }, HttpStatusCode.BadRequest, null);
        Assert.Equal(
            ["\"run_type\" \"sometimes\" is not one of full, selection, incoming.", "\"env\" name \"BAD NAME\" must be letters, digits, '-' and '_'.", "\"env\" name \"also=bad\" must be letters, digits, '-' and '_'."],
            both["errors"]!.AsArray().Select(e => (string)e!));

        var steps = await AssertProblemAsync(api, HttpMethod.Post, $"api/projects/{host.ProjectId}/runs", new JsonObject
        {
            ["pipeline"] = "good.orchest",
            ["run_type"] = "selection",
            ["steps"] = new JsonArray("A", "no such step"),
        }, HttpStatusCode.BadRequest, null);
        Assert.Contains("no such step", (string?)steps["detail"], StringComparison.Ordinal);

        var empty = await AssertProblemAsync(api, HttpMethod.Post, $"api/projects/{host.ProjectId}/runs", new JsonObject
        {
            ["pipeline"] = "good.orchest",
            ["run_type"] = "incoming",
            ["steps"] = new JsonArray("A"),
        }, HttpStatusCode.BadRequest, null);
        Assert.Contains("has no steps to run", (string?)empty["detail"], StringComparison.Ordinal);

        var parameters = await AssertProblemAsync(api, HttpMethod.Post, $"api/projects/{host.ProjectId}/runs", new JsonObject
        {
            ["pipeline"] = "good.orchest",
            ["step_parameters"] = new JsonObject { ["Nobody"] = new JsonObject { ["x"] = 1 } },
        }, HttpStatusCode.BadRequest, null);
        Assert.Contains("\"step_parameters\": good.orchest has no step \"Nobody\".", (string?)parameters["detail"], StringComparison.Ordinal);

        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task ListRuns_BadStatusAndPageSize_Returns400ListingBoth()
    {
        using var api = await host.ClientAsync(azurite);

        var problem = await AssertProblemAsync(api, HttpMethod.Get, $"api/projects/{host.ProjectId}/runs?status=DONE&page_size=0", null, HttpStatusCode.BadRequest,
            "The query is not valid: \"status\" \"DONE\" is not one of PENDING, STARTED, SUCCESS, FAILURE, ABORTED. \"page_size\" must be between 1 and 200.");
        Assert.Equal(2, problem["errors"]!.AsArray().Count);
        await AssertProblemAsync(api, HttpMethod.Get, $"api/projects/{host.ProjectId}/runs?page_size=201", null, HttpStatusCode.BadRequest,
            "The query is not valid: \"page_size\" must be between 1 and 200.");

        // The good query still lists the one run (created, never started: this host runs no orchestrations).
        var (status, page, _) = await api.SendAsync(HttpMethod.Get, $"api/projects/{host.ProjectId}/runs?status=PENDING&page_size=5");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([host.RunId], page!["runs"]!.AsArray().Select(r => (string)r!["id"]!));
    }

    [Fact]
    public async Task OpenApiDocument_ListsTheEndpoints()
    {
        using var api = await host.ClientAsync(azurite, withKey: false);

        var (status, document, _) = await api.SendAsync(HttpMethod.Get, "openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, status);
        var paths = document!["paths"]!.AsObject().Select(p => p.Key).ToList();
        foreach (var path in new[]
                 {
                     "/api/health", "/api/projects", "/api/projects/{project}", "/api/projects/{project}/pipelines", "/api/projects/{project}/runs",
                     "/api/runs/{run}", "/api/runs/{run}/steps/{step}/logs", "/api/runs/{run}/steps/{step}/outputs",
                     "/api/runs/{run}/steps/{step}/outputs/{name}", "/api/runs/{run}/steps/{step}/notebook",
                 })
        {
            Assert.Contains(path, paths);
        }

        Assert.NotNull(document["paths"]!["/api/projects/{project}/runs"]!["post"]);
        Assert.NotNull(document["paths"]!["/api/runs/{run}"]!["delete"]);
    }

    private static Task<JsonObject> AssertProblemAsync(
        ApiClient api, HttpMethod method, string path, JsonNode? body, HttpStatusCode expected, string? detail, HttpContent? content = null) =>
        Problems.AssertAsync(api, method, path, body, expected, detail, content);

    private Task<string> StateAsync() => host.Storage.StateAsync();

    private static StringContent Raw(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Content that hides its length, so it is sent chunked.</summary>
    private sealed class ChunkedContent : HttpContent
    {
        private readonly HttpContent _inner;

        public ChunkedContent(HttpContent inner)
        {
            _inner = inner;
            Headers.ContentType = inner.Headers.ContentType;
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => _inner.CopyToAsync(stream);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
