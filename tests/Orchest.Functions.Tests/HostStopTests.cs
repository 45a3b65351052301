using Orchest.Testing;
using Xunit.Abstractions;

namespace Orchest.Functions.Tests;

/// <summary>A host stops on SIGTERM whatever its storage does (its own Azurite, stopped under it).</summary>
public sealed class HostStopTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Serve_SigtermWhileItsStorageIsGone_ExitsByItselfSayingDurableTaskDidNotStop()
    {
        var storage = new AzuriteFixture { ReuseRunning = false };
        await storage.InitializeAsync();
        var installation = TestInstallation.Create(storage.ConnectionString);
        var folder = Directory.CreateTempSubdirectory("orchest-host-stop-");
        OrchestServeProcess? host = null;
        try
        {
            host = await installation.StartHostAsync("alone", "api,worker,timers", folder.FullName);
            await storage.DisposeAsync();

            // Before the fix, DurableTask.AzureStorage's stop retried releasing its leases for as long as storage was away: never.
            await OrchestServeProcess.SignalAsync(host.Pid, "TERM");
            var exited = await host.ExitedWithinAsync(TimeSpan.FromSeconds(90));

            Assert.True(exited, $"the host still ran 90 s after SIGTERM\n{host}");
            Assert.True(host.ExitCode == 0, $"exit {host.ExitCode}\n{host}");
            Assert.Contains("Durable Task did not stop within 00:00:30", host.Output, StringComparison.Ordinal);
        }
        finally
        {
            if (host is not null)
            {
                await host.DisposeAsync();
                output.WriteLine(host.ToString());
            }

            await storage.DisposeAsync();
            folder.Delete(recursive: true);
        }
    }
}
