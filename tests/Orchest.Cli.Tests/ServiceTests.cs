using System.Text.Json.Nodes;
using Orchest.Cli.Tests.Support;
using Orchest.Testing;

namespace Orchest.Cli.Tests;

/// <summary>
/// Pipeline services with <c>--runner docker</c> against the real (podman-served) engine: a tiny
/// key-value server (a Python file in the project, run in the base image) stands in for redis, as
/// no registry is reachable here.
/// </summary>
[Collection(DockerCliCollection.Name)]
public sealed class ServiceTests(DockerEngineFixture engine) : IDisposable
{
    /// <summary>Line protocol: "SET k v" answers OK, "GET k" answers the value (or "nil").</summary>
    private const string KeyValueServer = """
        import socketserver, sys
        store = {}
        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                for line in self.rfile:
                    words = line.decode().split()
                    if words[0] == "SET":
                        store[words[1]] = words[2]
                        self.wfile.write(b"OK\n")
                    else:
                        self.wfile.write((store.get(words[1], "nil") + "\n").encode())
        socketserver.ThreadingTCPServer.allow_reuse_address = True
        print("kv listening on", sys.argv[1], flush=True)
        socketserver.ThreadingTCPServer(("0.0.0.0", int(sys.argv[1])), Handler).serve_forever()
        """;

    private const string Client = """
        import socket, orchest
        def kv(command):
            service = orchest.get_service("kv")
            with socket.create_connection((service["internal_hostname"], service["ports"][0]), timeout=10) as s:
                s.sendall((command + "\n").encode())
                return s.makefile().readline().strip()

        """;

    private readonly TempProject _project = new("services");

    [Fact]
    public async Task Run_Docker_ServiceStartsFirst_StepsWriteAndReadKeysThroughGetService()
    {
        var pipeline = new PipelineBuilder()
            .Step("Write", "write.py", Client + "print('set', kv('SET greeting hello'))\n")
            .Step("Read", "read.py", Client + "print('got', kv('GET greeting'))\nprint('env', orchest.get_service('kv')['env_variables'])\n", ["Write"]);
        WriteWithServices(pipeline, KeyValueService());

        var result = await RunAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("SUCCESS", result.Status);
        Assert.Equal(["set OK"], StepLines(result, "Write"));
        Assert.Equal(["got hello", "env {'KV_MODE': 'test'}"], StepLines(result, "Read"));
        var runId = (string)result.Record["id"]!;
        Assert.Contains("kv listening on 6379", File.ReadAllText(Path.Combine(_project.Root, ".orchest", "runs", runId, "services", "kv.log")), StringComparison.Ordinal);
        Assert.Empty(await ContainersOfRunAsync(runId));
    }

    /// <summary>Real redis (Debian's, in orchest/redis:local from infra/local/redis-image.sh), spoken to with inline commands.</summary>
    [Fact]
    public async Task Run_Docker_RedisService_StepsWriteAndReadKeys()
    {
        var pipeline = new PipelineBuilder()
            .Step("Write", "write.py", ServiceScripts.RedisClient + "print('set', call('SET greeting hello'))\n")
            .Step("Read", "read.py", ServiceScripts.RedisClient + "print('got', call('GET greeting'))\n", ["Write"]);
        WriteWithServices(pipeline, ServiceScripts.RedisService());

        var result = await RunAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["set +OK"], StepLines(result, "Write"));
        Assert.Equal(["got hello"], StepLines(result, "Read"));
        Assert.Empty(await ContainersOfRunAsync((string)result.Record["id"]!));
    }

    [Fact]
    public async Task Run_Docker_ServiceExitsOnStart_RunFailsWithItsLogAndNoStepRuns()
    {
        var pipeline = new PipelineBuilder().Step("Never", "never.py", "print('ran')\n");
        var service = KeyValueService();
        service["command"] = "python3";
        // Exits the instant it printed: podman's log of such a container now and then reads empty (CI twice), and the
        // error then shows what the attach made before the start captured.
        service["args"] = "-c 'import sys; print(\"kv: missing config file\", flush=True); sys.exit(3)'";
        WriteWithServices(pipeline, service);

        var result = await RunAsync();

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("FAILURE", result.Status);
        Assert.Equal("ABORTED", result.StepStatuses["Never"]);
        Assert.Contains("Service \"kv\" exited with code 3 before it was ready (port 6379).", result.Error, StringComparison.Ordinal);
        Assert.True(result.Error.Contains("[kv] kv: missing config file", StringComparison.Ordinal), result.ToString());
        Assert.Empty(await ContainersOfRunAsync((string)result.Record["id"]!));
    }

    [Fact]
    public async Task Run_Docker_ServiceImageNotOnHost_FailsNamingTheImage()
    {
        var pipeline = new PipelineBuilder().Step("Never", "never.py", "print('ran')\n");
        var service = KeyValueService();
        service["image"] = "redis:7-absent-here";
        WriteWithServices(pipeline, service);

        var result = await RunAsync();

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("Service \"kv\": image \"redis:7-absent-here\" is not on the Docker host", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Docker_SigtermMidRun_AbortsAndLeavesNoServiceOrStepContainer()
    {
        var pipeline = new PipelineBuilder()
            .Step("Long", "long.py", Client + "import pathlib, time\nprint('set', kv('SET k v'), flush=True)\npathlib.Path('/project-dir/long.running').touch()\ntime.sleep(300)\n");
        WriteWithServices(pipeline, KeyValueService());
        using var cli = OrchestProcess.Start("run", _project.Root, "--json", "--runner", "docker", "--docker-host", engine.Endpoint);
        await Wait.UntilAsync(() => File.Exists(Path.Combine(_project.Root, "long.running")), TimeSpan.FromSeconds(120), $"the step to run\n{cli}");

        await cli.SignalAsync("TERM");
        var exitCode = await cli.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 1, $"exit {exitCode}\n{cli}");
        var record = JsonNode.Parse(cli.Output)!;
        Assert.Equal("ABORTED", (string)record["status"]!);
        Assert.Empty(await ContainersOfRunAsync((string)record["id"]!));
    }

    public void Dispose() => _project.Dispose();

    private static JsonObject KeyValueService() => new()
    {
        ["name"] = "kv",
        ["image"] = DockerEngineFixture.BaseImage,
        ["command"] = "python3",
        ["args"] = "/srv/kv.py 6379",
        ["binds"] = new JsonObject { ["/project-dir"] = "/srv" },
        ["ports"] = new JsonArray(6379),
        ["scope"] = new JsonArray("interactive", "noninteractive"),
        ["order"] = 0,
        ["exposed"] = false,
        ["env_variables"] = new JsonObject { ["KV_MODE"] = "test" },
    };

    private void WriteWithServices(PipelineBuilder pipeline, JsonObject service)
    {
        _project.WritePipeline(pipeline);
        var document = JsonNode.Parse(File.ReadAllText(Path.Combine(_project.Root, "main.orchest")))!.AsObject();
        document["services"] = new JsonObject { [(string)service["name"]!] = service };
        _project.Write("main.orchest", document.ToJsonString());
        _project.Write("kv.py", KeyValueServer);
    }

    /// <summary>The step's own output (without the runner's "[orchest] built environment image" note).</summary>
    private static List<string> StepLines(CliResult result, string title) =>
        result.LogLines(title).Where(l => !l.StartsWith("[orchest]", StringComparison.Ordinal)).ToList();

    private Task<CliResult> RunAsync() =>
        OrchestCli.RunJsonAsync(_project, "--runner", "docker", "--docker-host", engine.Endpoint);

    private async Task<JsonArray> ContainersOfRunAsync(string runId)
    {
        using var http = DockerEngineFixture.CreateHttpClient(engine.Endpoint);
        var filters = Uri.EscapeDataString($$"""{"label":["orchest.run={{runId}}"]}""");
        return JsonNode.Parse(await http.GetStringAsync($"/containers/json?all=1&filters={filters}"))!.AsArray();
    }
}

/// <summary>CLI tests that talk to the Docker engine share its fixture.</summary>
[CollectionDefinition(Name)]
public sealed class DockerCliCollection : ICollectionFixture<DockerEngineFixture>
{
    public const string Name = "docker engine (cli)";
}
