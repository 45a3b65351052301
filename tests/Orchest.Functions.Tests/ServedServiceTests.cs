using System.Net;
using System.Text.Json.Nodes;
using Orchest.Functions.Tests.Support;
using Orchest.Pipelines.Tests.Support;
using Orchest.Testing;
using Xunit.Abstractions;

namespace Orchest.Functions.Tests;

/// <summary>
/// Pipeline services in served mode: a real <c>orchest serve</c> host with the docker runner (podman here)
/// starts a run's services through its orchestration before the first step, hands them to the steps and
/// removes them however the run ends. The redis service is Debian's, in <c>orchest/redis:local</c>
/// (infra/local/redis-image.sh, run by base-images.sh).
/// </summary>
[Collection(ServedCollection.Name)]
public sealed class ServedServiceTests(AzuriteFixture azurite, DockerEngineFixture engine, ITestOutputHelper output) : IClassFixture<DockerEngineFixture>
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Run_RedisService_StepsWriteAndReadKeysThroughGetService_LogKeptAndNothingLeft()
    {
        await using var bed = new ServedTestbed(azurite, output);
        var pipeline = new PipelineBuilder("redis")
            .Step("Write", "write.py", ServiceScripts.RedisClient + "print('set', call('SET greeting hello'))\n")
            .Step("Read", "read.py", ServiceScripts.RedisClient + "print('got', call('GET greeting'))\n", ["Write"]);
        using var origin = Repository(pipeline, new JsonObject { ["redis"] = ServiceScripts.RedisService() });
        var (api, host) = await StartAsync(bed);
        using var _ = api;
        var project = await api.CreateProjectAsync("redis-" + bed.Prefix, origin.Root);

        var runId = (string)(await api.CreateRunAsync(project, new JsonObject()))["id"]!;
        var run = await api.WaitForEndAsync(runId, RunTimeout, host.ToString);

        Assert.True((string?)run["status"] == "SUCCESS", $"{run}\n{host}");
        output.WriteLine($"first step started {((DateTimeOffset)ApiClient.Step(run, "Write")["started"]! - (DateTimeOffset)run["started"]!).TotalMilliseconds:0} ms after the run (its service start), "
            + $"run took {((DateTimeOffset)run["finished"]! - (DateTimeOffset)run["started"]!).TotalMilliseconds:0} ms");
        Assert.Contains("set +OK", await TextAsync(api, $"api/runs/{runId}/steps/Write/logs"), StringComparison.Ordinal);
        Assert.Contains("got hello", await TextAsync(api, $"api/runs/{runId}/steps/Read/logs"), StringComparison.Ordinal);
        Assert.Contains("Ready to accept connections", await TextAsync(api, $"api/runs/{runId}/services/redis/logs"), StringComparison.Ordinal);
        Assert.Empty(await ContainersOfRunAsync(runId));
        Assert.Empty(await NetworksOfRunAsync(runId));

        await Problems.AssertAsync(api, HttpMethod.Get, $"api/runs/{runId}/services/postgres/logs", null, HttpStatusCode.NotFound,
            $"Run {runId} has no service \"postgres\" (its services: redis).");
        var missing = Guid.NewGuid().ToString();
        await Problems.AssertAsync(api, HttpMethod.Get, $"api/runs/{missing}/services/redis/logs", null, HttpStatusCode.NotFound,
            $"Run \"{missing}\" does not exist.");

        // A docker-runner host stops cleanly on SIGTERM (its runner is registered twice and disposed twice).
        await host.StopAsync();
        Assert.True(host.ExitCode == 0, $"exit {host.ExitCode}\n{host}");
    }

    [Fact]
    public async Task Run_ServiceImageMissing_FailsNamingTheImageAndNoStepRuns()
    {
        await using var bed = new ServedTestbed(azurite, output);
        var pipeline = new PipelineBuilder("missing").Step("Never", "never.py", "print('ran')\n");
        var service = ServiceScripts.RedisService();
        service["image"] = "redis:7-absent-here";
        using var origin = Repository(pipeline, new JsonObject { ["redis"] = service });
        var (api, host) = await StartAsync(bed);
        using var _ = api;
        var project = await api.CreateProjectAsync("missing-" + bed.Prefix, origin.Root);

        var runId = (string)(await api.CreateRunAsync(project, new JsonObject()))["id"]!;
        var run = await api.WaitForEndAsync(runId, RunTimeout, host.ToString);

        Assert.Equal("FAILURE", (string?)run["status"]);
        var step = ApiClient.Step(run, "Never");
        Assert.Equal(("ABORTED", null), ((string?)step["status"], (string?)step["started"]));
        Assert.Contains("Service \"redis\": image \"redis:7-absent-here\" is not on the Docker host", (string?)step["message"], StringComparison.Ordinal);
        Assert.Contains("redis:7-absent-here", await TextAsync(api, $"api/runs/{runId}/services/redis/logs"), StringComparison.Ordinal);
        Assert.Empty(await ContainersOfRunAsync(runId));
    }

    /// <summary>Orchest's services-connectivity fixture (inventory §1.9) is accepted served; its images are not on this host, so it fails naming the first.</summary>
    [Fact]
    public async Task Run_ServicesConnectivityFixture_IsAcceptedAndFailsNamingItsFirstMissingImage()
    {
        await using var bed = new ServedTestbed(azurite, output);
        using var origin = new GitOrigin("connectivity");
        var document = JsonNode.Parse(OrchestExamples.ServicesConnectivity)!.AsObject();
        const string environment = "30cfd18d-c5ec-4651-8a9b-6e12c36fc3b5";
        origin.Write("services_connectivity.orchest", document.ToJsonString());
        origin.Write("services-connectivity.ipynb", new NotebookBuilder().Code("print('connected')").ToJson());
        origin.Write($".orchest/environments/{environment}/properties.json",
            $$"""{"uuid": "{{environment}}", "name": "connectivity", "language": "python", "base_image": "{{DockerEngineFixture.BaseImage}}", "gpu_support": false}""");
        origin.Write($".orchest/environments/{environment}/setup_script.sh", "#!/bin/bash\n");
        origin.Commit("services-connectivity");
        var (api, host) = await StartAsync(bed);
        using var _ = api;
        var project = await api.CreateProjectAsync("connectivity-" + bed.Prefix, origin.Root);

        var runId = (string)(await api.CreateRunAsync(project, new JsonObject { ["pipeline"] = "services_connectivity.orchest" }))["id"]!;
        var run = await api.WaitForEndAsync(runId, RunTimeout, host.ToString);

        Assert.Equal("FAILURE", (string?)run["status"]);
        Assert.Contains("image \"postgres\" is not on the Docker host", (string?)ApiClient.Step(run, "services-connectivity")["message"], StringComparison.Ordinal);
        Assert.Empty(await ContainersOfRunAsync(runId));
    }

    [Fact]
    public async Task Cancel_MidRun_RemovesTheServiceAndLeavesNoContainerOrNetwork()
    {
        await using var bed = new ServedTestbed(azurite, output);
        var pipeline = new PipelineBuilder("cancel-services")
            .Step("Long", "long.py", ServiceScripts.RedisClient + "import time\nprint('set', call('SET k v'), flush=True)\ntime.sleep(300)\n");
        using var origin = Repository(pipeline, new JsonObject { ["redis"] = ServiceScripts.RedisService() });
        var (api, host) = await StartAsync(bed);
        using var _ = api;
        var project = await api.CreateProjectAsync("cancel-" + bed.Prefix, origin.Root);
        var runId = (string)(await api.CreateRunAsync(project, new JsonObject()))["id"]!;
        await Wait.UntilAsync(
            async () => (await TextAsync(api, $"api/runs/{runId}/steps/Long/logs")).Contains("set +OK", StringComparison.Ordinal),
            RunTimeout, host.ToString);
        Assert.NotEmpty(await ContainersOfRunAsync(runId));

        var (status, _, _) = await api.SendAsync(HttpMethod.Delete, $"api/runs/{runId}");
        Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.Accepted });
        var run = await api.WaitForEndAsync(runId, RunTimeout, host.ToString);

        Assert.Equal("ABORTED", (string?)run["status"]);
        // The run shows ended once its services are gone (its step container goes with its host's stop).
        await Wait.UntilAsync(async () => (await ContainersOfRunAsync(runId)).Count == 0, TimeSpan.FromMinutes(1), host.ToString);
        Assert.Empty(await NetworksOfRunAsync(runId));
        Assert.Contains("Ready to accept connections", await TextAsync(api, $"api/runs/{runId}/services/redis/logs"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_WhileAServiceStarts_EndsAbortedWithNoStepRunAndNoContainerLeft()
    {
        await using var bed = new ServedTestbed(azurite, output);
        var pipeline = new PipelineBuilder("slow-service").Step("Never", "never.py", "print('ran')\n");
        var service = ServiceScripts.RedisService();
        service["image"] = DockerEngineFixture.BaseImage;
        service["command"] = "python3";
        service["args"] = "-c 'import time; print(\"warming up\", flush=True); time.sleep(300)'";
        using var origin = Repository(pipeline, new JsonObject { ["redis"] = service });
        var (api, host) = await StartAsync(bed, "--Orchest:Services:ReadyTimeout=00:05:00");
        using var _ = api;
        var project = await api.CreateProjectAsync("slow-" + bed.Prefix, origin.Root);
        var runId = (string)(await api.CreateRunAsync(project, new JsonObject()))["id"]!;
        // Cancelled once the service has printed (its container exists from before its start on).
        await Wait.UntilAsync(async () => await EngineLogOfRunAsync(runId) is { } log && log.Contains("warming up", StringComparison.Ordinal), RunTimeout, host.ToString);

        var (status, _, _) = await api.SendAsync(HttpMethod.Delete, $"api/runs/{runId}");
        Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.Accepted });
        var run = await api.WaitForEndAsync(runId, RunTimeout, host.ToString);

        Assert.Equal("ABORTED", (string?)run["status"]);
        var step = ApiClient.Step(run, "Never");
        Assert.Equal(("ABORTED", null), ((string?)step["status"], (string?)step["started"]));
        Assert.Empty(await ContainersOfRunAsync(runId));
        Assert.Contains("warming up", await TextAsync(api, $"api/runs/{runId}/services/redis/logs"), StringComparison.Ordinal);
    }

    private async Task<(ApiClient Api, OrchestServeProcess Host)> StartAsync(ServedTestbed bed, params string[] settings)
    {
        var host = await bed.StartHostAsync("a", "api,worker,timers",
        [
            "--Orchest:Runner=docker",
            $"--Orchest:Runners:Docker:Endpoint={engine.Endpoint}",
            $"--Orchest:Runners:Docker:Instance=test-{bed.Prefix}",
            .. settings,
        ]);
        return (bed.Api(host), host);
    }

    private static GitOrigin Repository(PipelineBuilder pipeline, JsonObject services)
    {
        var document = JsonNode.Parse(pipeline.ToJson())!.AsObject();
        document["services"] = services;
        var origin = new GitOrigin("services");
        foreach (var (file, content) in pipeline.StepFiles)
        {
            origin.Write(file, content);
        }

        origin.Write("main.orchest", document.ToJsonString());
        origin.Commit("pipeline with services");
        return origin;
    }

    private static async Task<string> TextAsync(ApiClient api, string path)
    {
        var (status, _, content) = await api.GetBytesAsync(path);
        return status == HttpStatusCode.OK ? System.Text.Encoding.UTF8.GetString(content) : $"({(int)status})";
    }

    /// <summary>What the engine logged of the run's only container so far (null while there is none).</summary>
    private async Task<string?> EngineLogOfRunAsync(string runId)
    {
        if (await ContainersOfRunAsync(runId) is not [JsonObject container])
        {
            return null;
        }

        using var http = DockerEngineFixture.CreateHttpClient(engine.Endpoint);
        var log = await http.GetByteArrayAsync($"/containers/{(string)container["Id"]!}/logs?stdout=1&stderr=1");
        return System.Text.Encoding.UTF8.GetString(log);
    }

    private async Task<JsonArray> ContainersOfRunAsync(string runId) => await ListAsync("containers/json?all=1&", runId);

    private async Task<JsonArray> NetworksOfRunAsync(string runId) => await ListAsync("networks?", runId);

    private async Task<JsonArray> ListAsync(string resource, string runId)
    {
        using var http = DockerEngineFixture.CreateHttpClient(engine.Endpoint);
        var filters = Uri.EscapeDataString($$"""{"label":["orchest.run={{runId}}"]}""");
        return JsonNode.Parse(await http.GetStringAsync($"/{resource}filters={filters}"))!.AsArray();
    }
}
