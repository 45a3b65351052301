using System.CommandLine;
using System.Text.Json;
using Orchest.Chaos;
using Orchest.Chaos.Reporting;
using Orchest.Chaos.Workloads;
using Orchest.Testing;

// Ctrl-C or SIGTERM (infra/chaos.sh's trap, a stopped background session) cancels the token: the trial's
// hosts, steps and storage are cleaned up and the results so far stay written. Stopping a trial's hosts
// takes up to 15 s each, hence the long grace before System.CommandLine gives up waiting.
var stopping = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromMinutes(1) };
return await ChaosCommandLine.Create(RunAsync).Parse(args).InvokeAsync(stopping);

static async Task<int> RunAsync(ChaosOptions options, CancellationToken cancellationToken)
{
    if (options.PlanOnly)
    {
        var plans = Enumerable.Range(1, options.Trials).Select(i => WorkloadPlanner.Plan(i, options.Seed + i - 1, options.Hosts, options.Small));
        Console.WriteLine(JsonSerializer.Serialize(plans, ReportJson.Options));
        return 0;
    }

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

        var results = await new ChaosSession(options, connectionString, Console.Out, Console.Error).RunAsync(cancellationToken);
        return results.Trials.Count == options.Trials && results.Summary.Violations == 0 ? 0 : 1;
    }
    finally
    {
        await azurite.DisposeAsync();
    }
}
