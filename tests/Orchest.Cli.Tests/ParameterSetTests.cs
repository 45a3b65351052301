using System.Text.Json.Nodes;
using Orchest.Cli.Tests.Support;
using Orchest.Testing;

namespace Orchest.Cli.Tests;

/// <summary><c>orchest run --grid</c> and <c>--params-file</c>: one run per parameter set, at once, then a table of sets and outcomes.</summary>
public sealed class ParameterSetTests : IDisposable
{
    // Prints its parameters, fails for n=3, and waits at a barrier until $BARRIER_SIZE runs arrived (so that
    // many must run at the same time).
    private const string Echo = """
        import os, pathlib, time
        import orchest

        n, word = orchest.get_pipeline_param("n"), orchest.get_step_param("word")
        print(f"n={n} word={word}")
        barrier = pathlib.Path(os.environ["BARRIER_DIR"])
        (barrier / os.environ["ORCHEST_RUN_UUID"]).touch()
        deadline = time.time() + 60
        while len(list(barrier.iterdir())) < int(os.environ["BARRIER_SIZE"]):
            if time.time() > deadline:
                raise SystemExit("barrier not reached")
            time.sleep(0.05)
        if n == 3:
            raise SystemExit(3)
        """;

    private readonly TempProject _project = new("sets");
    private readonly PipelineBuilder _pipeline;

    public ParameterSetTests()
    {
        _pipeline = new PipelineBuilder().Step("Echo", "echo.py", Echo, parameters: new JsonObject { ["word"] = "default" });
        _pipeline.Parameters["n"] = 0;
        _project.WritePipeline(_pipeline);
    }

    [Fact]
    public async Task Grid_EveryCombinationRunsAtOnce_TableListsSetsAndOutcomes()
    {
        var grid = Write("grid.json", """{"pipeline_parameters": {"n": [1, 3]}, "Echo": {"word": ["a", "b"]}}""");

        var result = await OrchestCli.RunAsync("run", _project.Root, "--grid", grid, "--parallelism", "4", "--env", $"BARRIER_DIR={Barrier()}", "--env", "BARRIER_SIZE=4");

        Assert.True(result.ExitCode == 1, result.ToString());
        var table = result.OutputLines.SkipWhile(l => !l.StartsWith("set  status", StringComparison.Ordinal)).ToList();
        Assert.Equal("  0  SUCCESS", table[1][..12]);
        Assert.EndsWith("n=1, Echo.word=\"a\"", table[1], StringComparison.Ordinal);
        Assert.EndsWith("n=1, Echo.word=\"b\"", table[2], StringComparison.Ordinal);
        Assert.Equal("  2  FAILURE", table[3][..12]);
        Assert.EndsWith("n=3, Echo.word=\"a\"", table[3], StringComparison.Ordinal);
        Assert.EndsWith("n=3, Echo.word=\"b\"", table[4], StringComparison.Ordinal);
        Assert.Contains("4 runs: 2 SUCCESS, 2 FAILURE", result.OutputLines);
        Assert.Contains(result.OutputLines, l => l.StartsWith("set 2: step \"Echo\" failed (exited with code 3). Its log: ", StringComparison.Ordinal));

        // Each run kept its own log and record, with its set.
        var records = Records();
        Assert.Equal(4, records.Count);
        foreach (var record in records)
        {
            var set = record["parameters"]!;
            var log = File.ReadAllText((string)record["steps"]![0]!["log"]!);
            Assert.Equal($"n={(int)set["pipeline_parameters"]!["n"]!} word={(string)set[_pipeline.StepUuid("Echo")]!["word"]!}\n", log);
        }
    }

    [Fact]
    public async Task ParamsFile_EachSetReplacesWhatItNames_JsonListsTheRuns()
    {
        var sets = Write("sets.json", """[{"pipeline_parameters": {"n": 5}}, {"Echo": {"word": "only"}}]""");

        var result = await OrchestCli.RunAsync("run", _project.Root, "--params-file", sets, "--json", "--env", $"BARRIER_DIR={Barrier()}", "--env", "BARRIER_SIZE=1");

        Assert.True(result.ExitCode == 0, result.ToString());
        var runs = JsonNode.Parse(result.Output)!.AsArray();
        Assert.Equal(["SUCCESS", "SUCCESS"], runs.Select(r => (string)r!["status"]!));

        // No pipeline_parameters in the second set: it runs with none (Orchest's job semantics).
        Assert.Equal(["n=5 word=default\n", "n=None word=only\n"], runs.Select(r => File.ReadAllText((string)r!["steps"]![0]!["log"]!)));
    }

    [Theory]
    [InlineData("--grid", """{"Nobody": {"x": [1]}}""", "The parameters name step \"Nobody\", which main.orchest does not have.")]
    [InlineData("--grid", """{"pipeline_parameters": {"n": []}}""", "\"--grid\".pipeline_parameters.n must be a non-empty list of values.")]
    [InlineData("--params-file", "[]", "\"--params-file\" must be a non-empty list of parameter sets (one run each), like [{\"pipeline_parameters\": {...}}].")]
    [InlineData("--params-file", "[{", "--params-file: \"")]
    public async Task BadSets_ExitTwoNamingTheProblem_RunNothing(string option, string content, string message)
    {
        var file = Write("sets.json", content);

        var result = await OrchestCli.RunAsync("run", _project.Root, option, file);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(result.ErrorLines, l => l.StartsWith("error: " + message, StringComparison.Ordinal));
        Assert.Empty(Records());
    }

    [Fact]
    public async Task GridWithParamOrBothFiles_ExitTwo()
    {
        var grid = Write("grid.json", """{"pipeline_parameters": {"n": [1]}}""");

        var withParam = await OrchestCli.RunAsync("run", _project.Root, "--grid", grid, "--param", "n=2");
        var both = await OrchestCli.RunAsync("run", _project.Root, "--grid", grid, "--params-file", grid);

        Assert.Contains("error: --grid and --params-file give each run its parameters: drop --param and --step-param (put those values in the file).", withParam.ErrorLines);
        Assert.Contains("error: Give either \"--params-file\" or \"--grid\", not both.", both.ErrorLines);
        Assert.Equal((2, 2), (withParam.ExitCode, both.ExitCode));
    }

    public void Dispose() => _project.Dispose();

    private string Write(string name, string content) => _project.Write(name, content);

    private string Barrier() => Directory.CreateDirectory(Path.Combine(_project.Root, "barrier")).FullName;

    private List<JsonObject> Records()
    {
        var runs = Path.Combine(_project.Root, ".orchest", "runs");
        return Directory.Exists(runs)
            ? Directory.GetDirectories(runs).Select(d => JsonNode.Parse(File.ReadAllText(Path.Combine(d, "run.json")))!.AsObject()).ToList()
            : [];
    }
}
