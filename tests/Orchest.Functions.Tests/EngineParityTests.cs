using System.Diagnostics;
using System.Text.Json.Nodes;
using Orchest.Functions.Tests.Support;
using Orchest.Testing;
using Xunit.Abstractions;

namespace Orchest.Functions.Tests;

/// <summary>
/// Embedded and served runs make the same decisions (they share the pure state machine): one corpus of
/// DAGs — success, fail-fast, continue, retries, selection and incoming runs — runs through `orchest run`
/// and through `orchest serve`, and every step ends the same way (status, attempt, exit code).
/// </summary>
[Collection(ServedCollection.Name)]
public sealed class EngineParityTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Fails with exit code 3 until its attempt reaches $PASS_AT (never, when unset).</summary>
    private const string Flaky =
        """
        if [ "$ORCHEST_STEP_ATTEMPT" -ge "${PASS_AT:-99}" ]; then echo "passed on attempt $ORCHEST_STEP_ATTEMPT"; exit 0; fi
        echo "failing attempt $ORCHEST_STEP_ATTEMPT" >&2
        exit 3
        """;

    private const string Slow = "sleep 30\n";

    public static TheoryData<string, string, string[]> Corpus => new()
    {
        { "diamond.orchest", "full", [] },
        { "diamond.orchest", "selection", ["B", "D"] },
        { "diamond.orchest", "incoming", ["D"] },
        { "failfast.orchest", "full", [] },
        { "continue.orchest", "full", [] },
        { "retry.orchest", "full", [] },
        { "exhausted.orchest", "full", [] },
    };

    [Fact]
    public async Task Corpus_EmbeddedAndServedRuns_EndEveryStepTheSameWay()
    {
        await using var bed = new ServedTestbed(azurite, output);
        using var origin = new GitOrigin("parity");
        var pipelines = Pipelines();
        foreach (var (path, pipeline) in pipelines)
        {
            foreach (var (file, content) in pipeline.StepFiles)
            {
                origin.Write(file, content, executable: true);
            }

            origin.Write(path, pipeline.ToJson());
        }

        origin.Commit("corpus");
        var host = await bed.StartHostAsync("solo", "api,worker,timers");
        using var api = bed.Api(host);
        var project = await api.CreateProjectAsync("parity-" + bed.Prefix, origin.Root);

        // Both engines run every case at once (the served ones in parallel on one host).
        var served = Corpus.Select(c => (string)c[0]).Zip(Corpus.Select(c => ((string)c[1], (string[])c[2])))
            .Select(async c =>
            {
                var (path, (runType, steps)) = c;
                var body = new JsonObject
                {
                    ["pipeline"] = path,
                    ["run_type"] = runType,
                    ["steps"] = new JsonArray(steps.Select(s => (JsonNode)s).ToArray()),
                };
                var id = (string)(await api.CreateRunAsync(project, body))["id"]!;
                return await api.WaitForEndAsync(id, RunTimeout, host.ToString);
            }).ToList();
        var embedded = Corpus.Select(c => RunEmbeddedAsync(origin.Root, (string)c[0], (string)c[1], (string[])c[2])).ToList();

        var cases = Corpus.ToList();
        for (var i = 0; i < cases.Count; i++)
        {
            var (path, runType) = ((string)cases[i][0], (string)cases[i][1]);
            var (servedRun, embeddedRun) = (await served[i], await embedded[i]);
            output.WriteLine($"{path} {runType}: {Outcome(servedRun)}");
            Assert.Equal(Outcome(embeddedRun), Outcome(servedRun));
        }

        // The corpus is not trivial: it covers every terminal status and retries.
        var all = (await Task.WhenAll(served)).SelectMany(r => r["steps"]!.AsArray()).ToList();
        Assert.Contains(all, s => (string?)s!["status"] == "ABORTED");
        Assert.Contains(all, s => (string?)s!["status"] == "FAILURE" && (int?)s["exit_code"] == 3);
        Assert.Contains(all, s => (int)s!["attempt"]! == 2 && (string?)s["status"] == "SUCCESS");
    }

    private static Dictionary<string, PipelineBuilder> Pipelines()
    {
        var diamond = new PipelineBuilder("diamond").Shell("A").Shell("B", "A").Shell("C", "A").Shell("D", "B", "C").Shell("E");
        var failFast = new PipelineBuilder("failfast")
            .Step("Fails", "fails.sh", Flaky)
            .Step("Slow", "slow.sh", Slow)
            .Shell("After fails", "Fails");
        var keepGoing = new PipelineBuilder("continue")
            .Step("Fails", "fails.sh", Flaky)
            .Shell("After fails", "Fails")
            .Shell("Independent")
            .Shell("After independent", "Independent")
            .Setting("failure_policy", "continue");
        var retry = new PipelineBuilder("retry")
            .Step("Flaky", "flaky.sh", "PASS_AT=2\n" + Flaky, extra: Retry(3))
            .Shell("After flaky", "Flaky");
        var exhausted = new PipelineBuilder("exhausted")
            .Step("Always fails", "always.sh", Flaky, extra: Retry(2))
            .Shell("Never runs", "Always fails");
        return new Dictionary<string, PipelineBuilder>
        {
            ["diamond.orchest"] = diamond,
            ["failfast.orchest"] = failFast,
            ["continue.orchest"] = keepGoing,
            ["retry.orchest"] = retry,
            ["exhausted.orchest"] = exhausted,
        };
    }

    private static JsonObject Retry(int attempts) => new()
    {
        ["retry"] = new JsonObject { ["max_attempts"] = attempts, ["backoff_seconds"] = 1, ["max_backoff_seconds"] = 1 },
    };

    /// <summary>What must be the same: the run's status and, per step title, status, attempt and exit code.</summary>
    private static string Outcome(JsonObject run) =>
        $"{run["status"]}: " + string.Join("; ", run["steps"]!.AsArray()
            .Select(s => $"{s!["title"]}={s["status"]}/{s["attempt"]}/{s["exit_code"]?.ToString() ?? "-"}")
            .Order(StringComparer.Ordinal));

    private static async Task<JsonObject> RunEmbeddedAsync(string repository, string pipeline, string runType, string[] steps)
    {
        // Each embedded run gets its own checkout (a run writes under the project's .orchest/).
        var folder = Path.Combine(Path.GetTempPath(), "orchest-tests", "parity-" + Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(folder);
        try
        {
            await RunAsync("git", ["clone", "-q", repository, folder]);
            string[] arguments = ["run", folder, "--pipeline", pipeline, "--json", "--quiet", "--run-type", runType];
            if (steps.Length > 0)
            {
                arguments = [.. arguments, "--steps", string.Join(",", steps)];
            }

            var (_, stdout) = await RunAsync(OrchestBinary.Path, arguments, allowFailure: true);
            return JsonNode.Parse(stdout)!.AsObject();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<(int Code, string Stdout)> RunAsync(string file, string[] arguments, bool allowFailure = false)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(RunTimeout);
        if (process.ExitCode != 0 && !allowFailure)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}: {await stderr}");
        }

        return (process.ExitCode, await stdout);
    }
}
