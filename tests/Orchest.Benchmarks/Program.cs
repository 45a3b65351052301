using System.Runtime.InteropServices;
using Orchest.Benchmarks;
using Orchest.Benchmarks.Contenders;
using Orchest.Benchmarks.Measuring;
using Orchest.Benchmarks.Reporting;
using Orchest.Benchmarks.Scenarios;

if (BenchmarkCommandLine.Parse(args, Console.Error) is not { } options)
{
    return 2;
}

await using var catalog = ContenderCatalog.Create(options);
var scenarios = options.Scenarios.Count == 0 ? ScenarioCatalog.All.ToList() : ScenarioCatalog.Known.Where(s => options.Scenarios.Contains(s.Name)).ToList();
var contenders = catalog.All.Where(c => options.Contenders.Count == 0 || options.Contenders.Contains(c.Name)).ToList();
var unknown = options.Scenarios.Except(ScenarioCatalog.Known.Select(s => s.Name)).ToList();
if (unknown.Count > 0 || scenarios.Count == 0 || contenders.Count == 0)
{
    await Console.Error.WriteLineAsync(
        $"Nothing to run. Scenarios: {string.Join(", ", ScenarioCatalog.Known.Select(s => s.Name))}; contenders: {string.Join(", ", catalog.All.Select(c => c.Name))}.");
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

// SIGTERM (e.g. from infra/bench.sh's trap) stops like Ctrl-C, so the served host is stopped too.
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    cancel.Cancel();
});

BenchmarkReport report;
try
{
    report = await new BenchmarkSession(options, contenders, Console.Error).RunAsync(scenarios, cancel.Token);
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("Cancelled: no results.");
    return 130;
}

Console.WriteLine(MarkdownTable.Render(report));
if (options.OutputPath is { } output)
{
    await JsonReport.WriteAsync(report, output);
    Console.WriteLine($"Results: {Path.GetFullPath(output)}");
}

return report.AnyFailed ? 1 : 0;
