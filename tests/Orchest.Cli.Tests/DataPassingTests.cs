using Orchest.Cli.Tests.Support;
using Orchest.Testing;

namespace Orchest.Cli.Tests;

/// <summary>The Python SDK's data passing through real pipelines: ordering, names, collisions, earlier runs.</summary>
public sealed class DataPassingTests : IDisposable
{
    private const string PrintInputs = """
        import json
        import orchest

        inputs = orchest.get_inputs()
        print(json.dumps(inputs, sort_keys=True))

        """;

    private readonly TempProject _project = new("data-passing");

    [Fact]
    public async Task Run_UnnamedInputs_AreOrderedByIncomingConnectionsNotByFinishTime()
    {
        // "First" is listed first but finishes last: it outputs only once "Seen second" has started, which the
        // engine does only after it has recorded the end of "Second".
        var pipeline = new PipelineBuilder()
            .Step("First", "first.py", OutputOnceExists("second.seen", "'from first'"))
            .Step("Second", "second.py", "import orchest\norchest.output('from second', None)\n")
            .Step("Seen second", "seen-second.sh", Scripts.Touch("second.seen"), ["Second"])
            .Step("Third", "third.py", "import orchest\norchest.output(3, None)\n")
            .Step("Child", "child.py", PrintInputs, ["First", "Second", "Third"]);
        _project.WritePipeline(pipeline);

        var result = await OrchestCli.RunJsonAsync(_project);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(result.Finished("First") > result.Finished("Second"));
        Assert.Equal(["{\"unnamed\": [\"from first\", \"from second\", 3]}"], result.LogLines("Child"));
    }

    [Fact]
    public async Task Run_NamedOutputs_SeveralFromOneStep_AreAllPassed()
    {
        var pipeline = new PipelineBuilder()
            .Step("Stats", "stats.py", "import orchest\norchest.output({'rows': 10}, name='counts')\norchest.output([1.5, 2.5], name='weights')\norchest.output('stats unnamed', None)\n")
            .Step("Labels", "labels.py", "import orchest\norchest.output(['a', 'b'], name='labels')\n")
            .Step("Child", "child.py", PrintInputs, ["Stats", "Labels"]);
        _project.WritePipeline(pipeline);

        var result = await OrchestCli.RunJsonAsync(_project);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            ["{\"counts\": {\"rows\": 10}, \"labels\": [\"a\", \"b\"], \"unnamed\": [\"stats unnamed\"], \"weights\": [1.5, 2.5]}"],
            result.LogLines("Child"));
    }

    [Fact]
    public async Task Run_SameOutputNameFromTwoParents_FailsTheChildWithInputNameCollisionError()
    {
        var pipeline = new PipelineBuilder()
            .Step("Left", "left.py", "import orchest\norchest.output(1, name='model')\n")
            .Step("Right", "right.py", "import orchest\norchest.output(2, name='model')\n")
            .Step("Child", "child.py", PrintInputs, ["Left", "Right"]);
        _project.WritePipeline(pipeline);

        var result = await OrchestCli.RunJsonAsync(_project);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal(new Dictionary<string, string> { ["Left"] = "SUCCESS", ["Right"] = "SUCCESS", ["Child"] = "FAILURE" }, result.StepStatuses);
        Assert.Equal(
            ["orchest.error.InputNameCollisionError: Name collisions between input data coming from different steps: ", "model: ['Left', 'Right']"],
            result.LogLines("Child").TakeLast(2));
    }

    [Fact]
    public async Task Run_SelectionOfChildAfterAnEarlierFullRun_ReadsTheEarlierOutput()
    {
        var pipeline = new PipelineBuilder()
            .Step("Parent", "parent.py", "import orchest\norchest.output(orchest.get_pipeline_param('value'), None)\norchest.output('named too', name='extra')\n")
            .Step("Child", "child.py", PrintInputs, ["Parent"]);
        pipeline.Parameters["value"] = "default";
        _project.WritePipeline(pipeline);

        var first = await OrchestCli.RunJsonAsync(_project, "--param", "value=\"from the first run\"");
        var second = await OrchestCli.RunJsonAsync(_project, "--run-type", "selection", "--steps", "Child");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(["Child"], second.StepTitles);
        Assert.Equal(["{\"extra\": \"named too\", \"unnamed\": [\"from the first run\"]}"], second.LogLines("Child"));
    }

    [Fact]
    public async Task Run_SelectionOfChildWhoseParentFailedLater_ReadsTheLastSuccessfulOutput()
    {
        var pipeline = new PipelineBuilder()
            .Step("Parent", "parent.py", "import orchest\nv = orchest.get_pipeline_param('value')\norchest.output(v, None)\nif v == 'bad': raise SystemExit(3)\n")
            .Step("Child", "child.py", PrintInputs, ["Parent"]);
        _project.WritePipeline(pipeline);

        var good = await OrchestCli.RunJsonAsync(_project, "--param", "value=good");
        var bad = await OrchestCli.RunJsonAsync(_project, "--param", "value=bad");
        var child = await OrchestCli.RunJsonAsync(_project, "--run-type", "selection", "--steps", "Child");

        Assert.Equal((0, 1, 0), (good.ExitCode, bad.ExitCode, child.ExitCode));
        Assert.Equal(["{\"unnamed\": [\"good\"]}"], child.LogLines("Child"));
    }

    [Fact]
    public async Task Run_SelectionOfChildAfterItsParentOutputNothing_ReadsTheLastOutputItDidProduce()
    {
        var pipeline = new PipelineBuilder()
            .Step("Parent", "parent.py", "import orchest\nv = orchest.get_pipeline_param('value')\nif v != 'nothing': orchest.output(v, None)\n")
            .Step("Child", "child.py", PrintInputs, ["Parent"]);
        pipeline.Parameters["value"] = "default";
        _project.WritePipeline(pipeline);

        // Each run's log is read before the next run: a step's log is one file per pipeline (Orchest's path).
        var produced = await OrchestCli.RunJsonAsync(_project, "--param", "value=\"first\"");
        Assert.True(produced.ExitCode == 0, produced.ToString());
        Assert.Equal(["{\"unnamed\": [\"first\"]}"], produced.LogLines("Child"));
        var silent = await OrchestCli.RunJsonAsync(_project, "--param", "value=\"nothing\"");
        Assert.True(silent.ExitCode == 0, silent.ToString());
        Assert.Equal(["{\"unnamed\": []}"], silent.LogLines("Child"));
        var alone = await OrchestCli.RunJsonAsync(_project, "--run-type", "selection", "--steps", "Child");
        Assert.True(alone.ExitCode == 0, alone.ToString());
        Assert.Equal(["{\"unnamed\": [\"first\"]}"], alone.LogLines("Child"));

        // The silent run's empty set is gone once that run ended; the produced one is the latest.
        var parentData = Path.Combine(_project.Root, ".orchest", "pipelines", pipeline.Uuid, "data", pipeline.StepUuid("Parent"));
        var producedSet = (string)produced.Record["id"]! + "-1";
        Assert.Equal([producedSet], Directory.EnumerateDirectories(parentData).Select(d => Path.GetFileName(d)!).ToArray());
        Assert.Equal(producedSet, File.ReadAllText(Path.Combine(parentData, "LATEST")).Trim());
    }

    [Fact]
    public async Task Run_SelectionOfChildWhoseParentNeverRan_FailsWithOutputNotFoundError()
    {
        var pipeline = new PipelineBuilder()
            .Step("Parent step", "parent.py", "import orchest\norchest.output(1, None)\n")
            .Step("Child", "child.py", PrintInputs, ["Parent step"]);
        _project.WritePipeline(pipeline);

        var result = await OrchestCli.RunJsonAsync(_project, "--run-type", "selection", "--steps", "Child");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal(["Child"], result.StepTitles);
        Assert.Equal("FAILURE", (string)result.Step("Child")["status"]!);
        Assert.Equal(
            $"orchest.error.OutputNotFoundError: Output from incoming step \"Parent step\" (\"{pipeline.StepUuid("Parent step")}\") cannot be found. Try rerunning it.",
            result.LogLines("Child")[^1]);
    }

    /// <summary>Outputs <paramref name="value"/> once <paramref name="flag"/> exists in the project; fails when it does not appear in 30 s.</summary>
    private static string OutputOnceExists(string flag, string value) => $"""
        import os, sys, time
        import orchest

        path = os.path.join(os.environ["ORCHEST_PROJECT_DIR"], {Py.Str(flag)})
        deadline = time.time() + 30
        while not os.path.exists(path):
            if time.time() > deadline:
                sys.exit({Py.Str(flag)} + " never appeared")
            time.sleep(0.05)
        orchest.output({value}, None)

        """;

    public void Dispose() => _project.Dispose();
}
