using System.Runtime.InteropServices;
using Orchest.Chaos;
using Orchest.Testing;

if (ChaosCommandLine.Parse(args, Console.Error) is not { } options)
{
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

// SIGTERM (infra/chaos.sh's trap, a stopped background session) stops like Ctrl-C: the trial's hosts,
// steps and storage are cleaned up and the results so far stay written.
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    cancel.Cancel();
});

// Azurite on disk, not in memory: hours of durable work in memory can stall it for minutes (DESIGN §10).
var azurite = new AzuriteFixture { OnDisk = true };
var connectionString = options.Azurite;
try
{
    if (connectionString is null)
    {
        await azurite.InitializeAsync();
        connectionString = azurite.ConnectionString;
    }

    var results = await new ChaosSession(options, connectionString, Console.Out, Console.Error).RunAsync(cancel.Token);
    return results.Trials.Count == options.Trials && results.Summary.Violations == 0 ? 0 : 1;
}
finally
{
    await azurite.DisposeAsync();
}
