using System.Net;
using System.Net.Sockets;
using Orchest.Local.Tests.Support;
using Orchest.Testing;

namespace Orchest.Local.Tests;

/// <summary>
/// <c>infra/local/azurite-service.sh</c> says "running" only when its own Azurite answers on every
/// port, and names whoever holds a port it needs. Each test uses its own state folder and free ports.
/// </summary>
public sealed class AzuriteServiceScriptTests : IAsyncLifetime
{
    private static readonly string Script = Path.Combine(OrchestBinary.RepositoryRoot(), "infra", "local", "azurite-service.sh");
    private readonly string _data = Directory.CreateTempSubdirectory("orchest-azurite-script-").FullName;
    private readonly int[] _ports = [FreePort.Next(), FreePort.Next(), FreePort.Next()];

    public Task InitializeAsync() => Task.CompletedTask;

    [CommandsFact("bash")]
    public async Task Start_PortHeldByAnotherProcess_FailsNamingItAndStartsNothing()
    {
        using var holder = new TcpListener(IPAddress.Loopback, _ports[1]);
        holder.Start();

        var result = await RunAsync("start");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.DoesNotContain("running", result.Output, StringComparison.Ordinal);
        Assert.Contains($"azurite: error: port {_ports[1]} is held by pid {Environment.ProcessId} (", result.Error, StringComparison.Ordinal);
        Assert.Contains("must be free; choose others with ORCHEST_AZURITE_BLOB_PORT", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_data, "azurite.pid")), "a pid file was written");
        Assert.Equal(3, (await RunAsync("status")).ExitCode);
    }

    [CommandsFact("bash", "npm")]
    public async Task Start_FreePorts_RunsOnThemAndEnvPrintsTheirConnectionString()
    {
        var started = await RunAsync("start");

        Assert.True(started.ExitCode == 0, started.ToString());
        Assert.StartsWith($"azurite: running (pid ", started.Output, StringComparison.Ordinal);
        Assert.Contains($"ports {_ports[0]}, {_ports[1]}, {_ports[2]}", started.Output, StringComparison.Ordinal);
        foreach (var port in _ports)
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
        }

        var status = await RunAsync("status");
        Assert.True(status.ExitCode == 0, status.ToString());
        var env = await RunAsync("env");
        Assert.Equal(
            "export AzureWebJobsStorage=\"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
            + $"AccountKey={AzuriteFixture.AccountKey};BlobEndpoint=http://127.0.0.1:{_ports[0]}/devstoreaccount1;"
            + $"QueueEndpoint=http://127.0.0.1:{_ports[1]}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{_ports[2]}/devstoreaccount1\"\n",
            env.Output);

        Assert.Equal(0, (await RunAsync("stop")).ExitCode);
        var stopped = await RunAsync("status");
        Assert.Equal(3, stopped.ExitCode);
        Assert.Equal("azurite: not running\n", stopped.Output);
    }

    public async Task DisposeAsync()
    {
        // Stops only the Azurite this test's state folder started, if any.
        await RunAsync("stop");
        Directory.Delete(_data, recursive: true);
    }

    private Task<ShellResult> RunAsync(string command) =>
        Shell.RunAsync(
            $"bash '{Script}' {command}",
            _data,
            new Dictionary<string, string?>
            {
                ["ORCHEST_AZURITE_DATA"] = _data,
                ["ORCHEST_AZURITE_BLOB_PORT"] = _ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["ORCHEST_AZURITE_QUEUE_PORT"] = _ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["ORCHEST_AZURITE_TABLE_PORT"] = _ports[2].ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            TimeSpan.FromMinutes(3));
}
