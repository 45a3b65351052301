using System.Text.Json.Nodes;
using Orchest.Cli.Tests.Support;
using Orchest.Testing;

namespace Orchest.Cli.Tests;

/// <summary>
/// Invalid pipelines: <c>orchest run</c> and <c>orchest validate</c> print every problem ("error: ..."
/// lines on stderr), exit 2 and write nothing under .orchest/.
/// </summary>
public sealed class ValidationTests : IDisposable
{
    private readonly TempProject _project = new("validation");

    [Fact]
    public async Task RunAndValidate_InvalidJson_ReportLineAndColumn()
    {
        _project.Write("main.orchest", "{\n  \"name\": \"broken\",\n  \"uuid\": ,\n  \"steps\": {}\n}\n");

        await AssertRejectedAsync("main.orchest: invalid JSON at line 3, column 11: ',' is an invalid start of a value.");
    }

    [Fact]
    public async Task RunAndValidate_Cycle_NameTheStepsOnTheCycle()
    {
        var pipeline = new PipelineBuilder().Shell("Start").Shell("Left", "Start", "Right").Shell("Right", "Left");
        _project.WritePipeline(pipeline);

        await AssertRejectedAsync(
            $"main.orchest: cycle between steps \"Left\" ({pipeline.StepUuid("Left")}) -> \"Right\" ({pipeline.StepUuid("Right")}) -> \"Left\" ({pipeline.StepUuid("Left")}).");
    }

    [Fact]
    public async Task RunAndValidate_UnknownParent_NamesTheStepAndTheParent()
    {
        var pipeline = new PipelineBuilder().Shell("A")
            .Step("B", "b.sh", "echo b\n", extra: new JsonObject { ["incoming_connections"] = new JsonArray("no-such-step") });
        _project.WritePipeline(pipeline);

        await AssertRejectedAsync(
            $"main.orchest: step \"B\" ({pipeline.StepUuid("B")}): incoming_connections references unknown step \"no-such-step\".");
    }

    [Fact]
    public async Task RunAndValidate_DuplicateUuids_NameBothSteps()
    {
        const string Shared = "5a5a5a5a-0000-4000-8000-000000000001";
        var pipeline = new PipelineBuilder()
            .Step("A", "a.sh", "echo a\n", extra: new JsonObject { ["uuid"] = Shared })
            .Step("B", "b.sh", "echo b\n", extra: new JsonObject { ["uuid"] = Shared });
        _project.WritePipeline(pipeline);
        var (a, b) = (pipeline.StepUuid("A"), pipeline.StepUuid("B"));

        await AssertRejectedAsync(
            $"main.orchest: step \"A\" ({a}): uuid \"{Shared}\" does not match its key \"{a}\" in steps.",
            $"main.orchest: step \"B\" ({b}): uuid \"{Shared}\" does not match its key \"{b}\" in steps.",
            $"main.orchest: steps \"A\" ({a}) and \"B\" ({b}) have the same uuid \"{Shared}\".");
    }

    [Fact]
    public async Task RunAndValidate_DuplicateStepKeys_ReportTheRepeatedUuid()
    {
        var pipeline = new PipelineBuilder("dup", "c0c0c0c0-0000-4000-8000-000000000000").Shell("A");
        var uuid = pipeline.StepUuid("A");
        var json = pipeline.ToJson();
        var step = JsonNode.Parse(json)!["steps"]![uuid]!.ToJsonString();

        // The same key twice in "steps": JSON allows it, a pipeline cannot have it.
        _project.Write("a.sh", "echo a\n");
        _project.Write("main.orchest", $"{{\"name\": \"dup\", \"uuid\": \"c0c0c0c0-0000-4000-8000-000000000000\", \"version\": \"1.2.3\", \"settings\": {{}},\n\"steps\": {{\n\"{uuid}\": {step},\n\"{uuid}\": {step}\n}}}}\n");

        await AssertRejectedAsync($"main.orchest: steps has the step uuid \"{uuid}\" more than once (line 4, column 1); only the last one is used.");
    }

    [Fact]
    public async Task RunAndValidate_MismatchedUuid_NamesKeyAndUuid()
    {
        var pipeline = new PipelineBuilder()
            .Step("A", "a.sh", "echo a\n", extra: new JsonObject { ["uuid"] = "not-the-key" });
        _project.WritePipeline(pipeline);
        var a = pipeline.StepUuid("A");

        await AssertRejectedAsync($"main.orchest: step \"A\" ({a}): uuid \"not-the-key\" does not match its key \"{a}\" in steps.");
    }

    [Fact]
    public async Task RunAndValidate_MissingStepFile_NamesThePathLookedFor()
    {
        var pipeline = new PipelineBuilder().Step("Train", "steps/train.py");
        _project.Write("pipelines/main.orchest", pipeline.ToJson());

        await AssertRejectedAsync(
            $"pipelines/main.orchest: step \"Train\" ({pipeline.StepUuid("Train")}): file_path \"steps/train.py\" does not exist (looked for \"pipelines/steps/train.py\" in the project).");
    }

    [Fact]
    public async Task RunAndValidate_PathClimbingOutWithDotDot_IsRefused()
    {
        using var outside = new TempProject("outside");
        outside.Write("evil.sh", "echo evil\n");
        var pipeline = new PipelineBuilder().Step("Evil", $"../{Path.GetFileName(outside.Root)}/evil.sh");
        _project.WritePipeline(pipeline);

        await AssertRejectedAsync(
            $"main.orchest: step \"Evil\" ({pipeline.StepUuid("Evil")}): file_path \"../{Path.GetFileName(outside.Root)}/evil.sh\" escapes the project.");
    }

    [Fact]
    public async Task RunAndValidate_AbsolutePath_IsRefused()
    {
        using var outside = new TempProject("outside");
        var evil = outside.Write("evil.sh", "echo evil\n");
        var pipeline = new PipelineBuilder().Step("Evil", evil);
        _project.WritePipeline(pipeline);

        await AssertRejectedAsync(
            $"main.orchest: step \"Evil\" ({pipeline.StepUuid("Evil")}): file_path \"{evil}\" is absolute and escapes the project; write it relative to the pipeline file.");
    }

    [Fact]
    public async Task RunAndValidate_SymlinkPointingOutside_IsRefused()
    {
        using var outside = new TempProject("outside");
        var evil = outside.Write("evil.sh", "echo evil\n");
        File.CreateSymbolicLink(Path.Combine(_project.Root, "linked.sh"), evil);
        var pipeline = new PipelineBuilder().Step("Linked", "linked.sh");
        _project.WritePipeline(pipeline);

        await AssertRejectedAsync(
            $"main.orchest: step \"Linked\" ({pipeline.StepUuid("Linked")}): file_path \"linked.sh\" is a symbolic link that resolves outside the project.");
    }

    [Fact]
    public async Task Run_SymlinkInsideTheProject_IsAccepted()
    {
        _project.Write("real/step.sh", "echo via link\n");
        File.CreateSymbolicLink(Path.Combine(_project.Root, "linked.sh"), Path.Combine(_project.Root, "real", "step.sh"));
        _project.WritePipeline(new PipelineBuilder().Step("Linked", "linked.sh"));

        var result = await OrchestCli.RunJsonAsync(_project);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["via link"], result.LogLines("Linked"));
    }

    [Fact]
    public async Task RunAndValidate_UnsupportedFileType_ListsSupportedExtensions()
    {
        var pipeline = new PipelineBuilder().Step("Notes", "notes.txt", "just text\n");
        _project.WritePipeline(pipeline);

        await AssertRejectedAsync(
            $"main.orchest: step \"Notes\" ({pipeline.StepUuid("Notes")}): file_path \"notes.txt\" has the unsupported extension \".txt\" (supported: .ipynb, .py, .sh, .R, .jl, .js, .cs, or none (run with bash)).");
    }

    [Fact]
    public async Task RunAndValidate_UnknownEnvironment_NamesTheMissingFolder()
    {
        const string Environment = "e0e0e0e0-0000-4000-8000-000000000000";
        var pipeline = new PipelineBuilder().Step("A", "a.sh", "echo a\n", extra: new JsonObject { ["environment"] = Environment });
        _project.WritePipeline(pipeline);

        await AssertRejectedAsync(
            $"main.orchest: step \"A\" ({pipeline.StepUuid("A")}): environment \"{Environment}\" does not exist in the project (no .orchest/environments/{Environment}/properties.json).");
    }

    [Fact]
    public async Task RunAndValidate_BadSettings_ReportEachValue()
    {
        var pipeline = new PipelineBuilder().Shell("A")
            .Setting("max_steps_parallelism", -1)
            .Setting("failure_policy", "sometimes")
            .Setting("data_passing_memory_size", "lots");
        _project.WritePipeline(pipeline);

        await AssertRejectedAsync(
            "main.orchest: settings.max_steps_parallelism must be an integer >= 0 (0 means no limit), got -1.",
            "main.orchest: settings.failure_policy must be \"fail-fast\" or \"continue\", got \"sometimes\".",
            "main.orchest: settings.data_passing_memory_size must be a size such as \"1GB\" (a number followed by KB, MB or GB), got \"lots\".");
    }

    [Fact]
    public async Task RunAndValidate_SeveralProblems_ListThemAll()
    {
        var pipeline = new PipelineBuilder().Shell("A")
            .Setting("failure_policy", "sometimes")
            .Step("B", "b.sh", "echo b\n", extra: new JsonObject { ["incoming_connections"] = new JsonArray("ghost") })
            .Step("C", "missing.py")
            .Step("D", "d.txt", "text\n");
        _project.WritePipeline(pipeline);

        await AssertRejectedAsync(
            "main.orchest: settings.failure_policy must be \"fail-fast\" or \"continue\", got \"sometimes\".",
            $"main.orchest: step \"B\" ({pipeline.StepUuid("B")}): incoming_connections references unknown step \"ghost\".",
            $"main.orchest: step \"C\" ({pipeline.StepUuid("C")}): file_path \"missing.py\" does not exist (looked for \"missing.py\" in the project).",
            $"main.orchest: step \"D\" ({pipeline.StepUuid("D")}): file_path \"d.txt\" has the unsupported extension \".txt\" (supported: .ipynb, .py, .sh, .R, .jl, .js, .cs, or none (run with bash)).");
    }

    [Fact]
    public async Task Validate_ValidProject_ListsEachPipelineWithItsStepCount()
    {
        _project.WritePipeline(new PipelineBuilder("one").Shell("A").Shell("B", "A"), "a.orchest");
        _project.WritePipelineBesideSteps(new PipelineBuilder("two").Shell("C"), "sub/b.orchest");

        var all = await OrchestCli.RunAsync("validate", _project.Root);
        var one = await OrchestCli.RunAsync("validate", _project.Root, "--pipeline", "sub/b.orchest");

        Assert.Equal((0, ""), (all.ExitCode, all.Error));
        Assert.Equal(["a.orchest: valid (2 steps)", "sub/b.orchest: valid (1 step)"], all.OutputLines);
        Assert.Equal(["sub/b.orchest: valid (1 step)"], one.OutputLines);
        Assert.Empty(_project.OrchestEntries());
    }

    [Fact]
    public async Task Validate_OneInvalidPipelineAmongValidOnes_ListsValidOnesAndExits2()
    {
        _project.WritePipeline(new PipelineBuilder("good").Shell("A"), "good.orchest");
        _project.Write("bad.orchest", "[1, 2]");

        var result = await OrchestCli.RunAsync("validate", _project.Root);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(["good.orchest: valid (1 step)"], result.OutputLines);
        Assert.Equal(["error: bad.orchest: a pipeline file must contain a JSON object, got [1,2]."], result.ErrorLines);
    }

    /// <summary>run and validate both exit 2 with exactly these problems, and neither writes anything under .orchest/.</summary>
    [Fact]
    public async Task RunAndValidate_PipelineWithServices_RefusedBeforeAnyStepNamingTheServices()
    {
        var pipeline = new PipelineBuilder().Shell("Train");
        var document = JsonNode.Parse(pipeline.ToJson())!.AsObject();
        document["services"] = new JsonObject
        {
            ["redis"] = new JsonObject { ["name"] = "redis", ["image"] = "redis", ["scope"] = new JsonArray("interactive", "noninteractive"), ["ports"] = new JsonArray(6379), ["order"] = 0 },
            ["streamlit"] = new JsonObject { ["name"] = "streamlit", ["image"] = "orchest/base-kernel-py", ["command"] = "streamlit run app.py", ["scope"] = new JsonArray("noninteractive"), ["ports"] = new JsonArray(8501), ["order"] = 1 },
        };
        _project.WritePipeline(pipeline);
        _project.Write("main.orchest", document.ToJsonString());

        await AssertRejectedAsync(
            "main.orchest: the pipeline declares services \"redis\", \"streamlit\", but the process runner cannot start services; run it with --runner docker (services run as containers beside the steps) or remove \"services\" from the pipeline.");
        var docker = await OrchestCli.RunAsync("validate", _project.Root, "--runner", "docker");
        Assert.True(docker.ExitCode == 0, docker.ToString());
        Assert.False(File.Exists(Path.Combine(_project.Root, "train.log")));
    }

    /// <summary>Orchest's service rules: each broken one is its own message naming the service and field.</summary>
    [Fact]
    public async Task RunAndValidate_BadServices_EachProblemNamedNothingWritten()
    {
        var pipeline = new PipelineBuilder().Shell("Train");
        var document = JsonNode.Parse(pipeline.ToJson())!.AsObject();
        document["services"] = new JsonObject
        {
            ["db"] = new JsonObject { ["name"] = "db", ["image"] = "Bad Image!", ["scope"] = new JsonArray("noninteractive"), ["ports"] = new JsonArray("5432"), ["order"] = 0 },
            ["cache"] = new JsonObject { ["name"] = "kache", ["image"] = "environment@0c7e3c4e-0000-4000-8000-000000000000", ["scope"] = new JsonArray("noninteractive"), ["ports"] = new JsonArray(6379), ["order"] = 0, ["binds"] = new JsonObject { ["/etc"] = "/etc" } },
        };
        _project.WritePipeline(pipeline);
        _project.Write("main.orchest", document.ToJsonString());

        var result = await OrchestCli.RunAsync("validate", _project.Root, "--runner", "docker");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            [
                "error: main.orchest: service \"db\" field \"image\": \"Bad Image!\" is not a Docker image reference (e.g. redis, redis:7, registry:5000/team/db@sha256:...).",
                "error: main.orchest: service \"db\" field \"ports\": port \"5432\" is not a whole number from 1 to 65535 (Orchest refuses strings too).",
                "error: main.orchest: service \"cache\" field \"name\": \"name\" is \"kache\" but the key is \"cache\"; they must be equal.",
                "error: main.orchest: service \"cache\" field \"image\": environment \"0c7e3c4e-0000-4000-8000-000000000000\" does not exist in the project (no .orchest/environments/0c7e3c4e-0000-4000-8000-000000000000/properties.json).",
                "error: main.orchest: service \"cache\" field \"binds\": bind \"/etc\" is not allowed; only /data and /project-dir can be mounted.",
                "error: main.orchest: service \"cache\" field \"order\": order 0 is also the order of service \"db\"; each service needs its own.",
            ],
            result.ErrorLines);
    }

    private async Task AssertRejectedAsync(params string[] problems)
    {
        var expected = problems.Select(p => $"error: {p}").ToList();
        var before = _project.OrchestEntries();
        var files = _project.ProjectFiles();

        var run = await OrchestCli.RunAsync("run", _project.Root);
        var validate = await OrchestCli.RunAsync("validate", _project.Root);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal(expected, run.ErrorLines);
        Assert.Equal("", run.Output);
        Assert.True(validate.ExitCode == 2, validate.ToString());
        Assert.Equal(expected, validate.ErrorLines);
        Assert.Equal("", validate.Output);
        Assert.Equal(before, _project.OrchestEntries());
        Assert.False(Directory.Exists(Path.Combine(_project.OrchestDirectory, "runs")));
        Assert.Equal(files, _project.ProjectFiles());
    }

    public void Dispose() => _project.Dispose();
}
