using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Orchest.Functions.Tests.Support;
using Orchest.Testing;
using Xunit.Abstractions;

namespace Orchest.Functions.Tests;

/// <summary>
/// The run projection entity carries its state from one batch to the next on a host with extended sessions (the
/// default): what it applied last is how it skips a repeated progress and repairs a split brain's.
/// </summary>
[Collection(ServedCollection.Name)]
public sealed partial class ProjectionEntityStateTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    [Fact]
    public async Task Projection_ProgressesOfARunOnOneHost_EachSeesTheOneAppliedBeforeIt()
    {
        await using var bed = new ServedTestbed(azurite, output);
        // Steps longer than the progress interval (0.3 s here): the run's progress goes out in several batches.
        var pipeline = new PipelineBuilder("entity-state")
            .Step("A", "a.sh", "sleep 0.6\n")
            .Step("B", "b.sh", "sleep 0.6\n", ["A"])
            .Step("C", "c.sh", "sleep 0.6\n", ["B"]);
        using var origin = ServedTestbed.Repository(pipeline);
        var host = await bed.StartHostAsync("solo", "api,worker,timers", "--Logging:LogLevel:Orchest.Durable.RunProjectionEntity=Debug");
        using var api = bed.Api(host);
        var project = await api.CreateProjectAsync("entity-state-" + bed.Prefix, origin.Root);
        var run = (string)(await api.CreateRunAsync(project, new JsonObject()))["id"]!;
        await api.WaitForEndAsync(run, TimeSpan.FromSeconds(60), host.ToString);

        // The entity logs each progress before applying it, so the final one is logged once the run reads as ended.
        var applied = Applied(host.Output, run);
        Assert.True(applied.Count >= 3, $"{applied.Count} progresses applied\n{host}");
        Assert.Equal(Enumerable.Range(1, applied.Count).Select(n => (long)n), applied.Select(a => a.Sequence));
        Assert.Equal(applied.Select(a => a.Sequence - 1), applied.Select(a => a.AppliedBefore));
    }

    /// <summary>Each progress of <paramref name="run"/> the entity applied, with the number it had applied before (0: none).</summary>
    private static List<(long Sequence, long AppliedBefore)> Applied(string hostOutput, string run) =>
    [
        .. ProgressSeen().Matches(hostOutput)
            .Where(m => m.Groups["run"].Value == run)
            .Select(m => (
                long.Parse(m.Groups["sequence"].Value, CultureInfo.InvariantCulture),
                m.Groups["before"].Value == "none" ? 0L : long.Parse(m.Groups["before"].Value, CultureInfo.InvariantCulture))),
    ];

    [GeneratedRegex(@"Run (?<run>[0-9a-f-]+): progress (?<sequence>\d+) [^\n]*\) applied; applied before it: (?<before>none|\d+)")]
    private static partial Regex ProgressSeen();
}
