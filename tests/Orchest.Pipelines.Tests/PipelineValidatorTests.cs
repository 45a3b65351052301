using System.Text.Json.Nodes;
using Orchest.Pipelines.Tests.Support;

namespace Orchest.Pipelines.Tests;

public sealed class PipelineValidatorTests
{
    private const string Env = "bb37767a-2e1a-4da3-9468-8c9ba1c91a6b";

    private static IReadOnlyList<PipelineProblem> Validate(TestPipeline builder, FakeProjectFiles? files = null, string path = TestPipeline.Path)
    {
        var pipeline = builder.Parse(path);
        return PipelineValidator.Validate(pipeline, files ?? FakeProjectFiles.For(pipeline));
    }

    [Fact]
    public void Validate_ValidPipeline_ReportsNothing()
    {
        var builder = new TestPipeline().Step("a").Step("b", "a").Step("c", ["a", "b"]).Set("c", "environment", Env);

        Assert.Empty(Validate(builder));
    }

    [Fact]
    public void Validate_DataPassingExample_WithItsFiles_ReportsNothing()
    {
        var pipeline = PipelineFile.Parse(OrchestExamples.DataPassing, "data-passing.orchest").Pipeline!;

        var files = new FakeProjectFiles().WithFiles("A.ipynb", "B.ipynb").WithEnvironment(Env);

        Assert.Empty(PipelineValidator.Validate(pipeline, files));
    }

    [Fact]
    public void Validate_UnknownParent_NamesStepFieldAndParent()
    {
        var builder = new TestPipeline().Step("6b1c5931-8bf7-4587-b3ae-06f7ee5ccb8a", "Clean data", "clean.py", "12345678-0000-4000-8000-000000000000");

        var problem = Assert.Single(Validate(builder));

        Assert.Equal("unknown_parent", problem.Code);
        Assert.Equal("main.orchest: step \"Clean data\" (6b1c5931-8bf7-4587-b3ae-06f7ee5ccb8a): incoming_connections references unknown step \"12345678-0000-4000-8000-000000000000\".", problem.Message);
        Assert.Equal(("6b1c5931-8bf7-4587-b3ae-06f7ee5ccb8a", "Clean data", "incoming_connections", "main.orchest"), (problem.StepUuid, problem.StepTitle, problem.Field, problem.PipelinePath));
    }

    [Fact]
    public void Validate_Cycle_NamesStepsInCycleOrder()
    {
        var builder = new TestPipeline().Step("a", "A", "a.py", "b").Step("b", "B", "b.py", "a").Step("c", "C", "c.py", "b");

        var problem = Assert.Single(Validate(builder));

        Assert.Equal("cycle", problem.Code);
        Assert.Equal("main.orchest: cycle between steps \"A\" (a) -> \"B\" (b) -> \"A\" (a).", problem.Message);
        Assert.Equal("a", problem.StepUuid);
    }

    [Fact]
    public void Validate_LongerCycle_FollowsEdgesFromParentToChild()
    {
        // Edges: a -> c -> b -> a (each step lists its parent).
        var builder = new TestPipeline().Step("a", "A", "a.py", "b").Step("b", "B", "b.py", "c").Step("c", "C", "c.py", "a");

        var problem = Assert.Single(Validate(builder));

        Assert.Equal("main.orchest: cycle between steps \"A\" (a) -> \"C\" (c) -> \"B\" (b) -> \"A\" (a).", problem.Message);
    }

    [Fact]
    public void Validate_TwoSeparateCycles_ReportsEach()
    {
        var builder = new TestPipeline()
            .Step("a", "a", "a.py", "b").Step("b", "b", "b.py", "a")
            .Step("c", "c", "c.py", "d").Step("d", "d", "d.py", "c");

        var problems = Validate(builder);

        Assert.Equal(["cycle", "cycle"], problems.Select(p => p.Code));
        Assert.Equal("main.orchest: cycle between steps \"c\" (c) -> \"d\" (d) -> \"c\" (c).", problems[1].Message);
    }

    [Fact]
    public void Validate_SelfConnection_Reports()
    {
        var problem = Assert.Single(Validate(new TestPipeline().Step("a", "A", "a.py", "a")));

        Assert.Equal(("self_connection", "main.orchest: step \"A\" (a): incoming_connections lists the step itself."), (problem.Code, problem.Message));
    }

    [Fact]
    public void Validate_ParentListedTwice_Reports()
    {
        var problem = Assert.Single(Validate(new TestPipeline().Step("p", "Load", "p.py").Step("a", "A", "a.py", "p", "p", "p")));

        Assert.Equal(("duplicate_parent", "main.orchest: step \"A\" (a): incoming_connections lists step \"Load\" (p) more than once."), (problem.Code, problem.Message));
    }

    [Fact]
    public void Validate_StepUuidDifferentFromKey_ReportsMismatch()
    {
        var builder = new TestPipeline().Step("a", "A", "a.py").Set("a", "uuid", "z");

        var problem = Assert.Single(Validate(builder));

        Assert.Equal(("step_uuid_mismatch", "uuid"), (problem.Code, problem.Field));
        Assert.Equal("main.orchest: step \"A\" (a): uuid \"z\" does not match its key \"a\" in steps.", problem.Message);
    }

    [Fact]
    public void Validate_TwoStepsDeclaringSameUuid_ReportsDuplicate()
    {
        var builder = new TestPipeline().Step("a", "A", "a.py").Step("b", "B", "b.py").Set("b", "uuid", "a");

        var problems = Validate(builder);

        Assert.Equal(["step_uuid_mismatch", "duplicate_step_uuid"], problems.Select(p => p.Code));
        Assert.Equal("main.orchest: steps \"A\" (a) and \"B\" (b) have the same uuid \"a\".", problems[1].Message);
    }

    [Fact]
    public void Validate_DuplicateStepKeyInFile_IsReportedAgain()
    {
        var json = """{"name": "x", "uuid": "u", "version": "1.2.3", "settings": {}, "steps": {"a": {"file_path": "a.py"}, "a": {"file_path": "a.py"}}}""";
        var pipeline = PipelineFile.Parse(json, "main.orchest").Pipeline!;

        var problem = Assert.Single(PipelineValidator.Validate(pipeline, FakeProjectFiles.For(pipeline)));

        Assert.Equal("duplicate_step_uuid", problem.Code);
    }

    [Fact]
    public void Validate_StepFileMissing_SaysWhereItLooked()
    {
        var builder = new TestPipeline().Step("a", "Load", "load.py");

        var problem = Assert.Single(Validate(builder, new FakeProjectFiles(), "flows/etl.orchest"));

        Assert.Equal("step_file_missing", problem.Code);
        Assert.Equal("flows/etl.orchest: step \"Load\" (a): file_path \"load.py\" does not exist (looked for \"flows/load.py\" in the project).", problem.Message);
    }

    [Fact]
    public void Validate_FilePathEscapingWithDotDot_Reports()
    {
        var problem = Assert.Single(Validate(new TestPipeline().Step("a", "Load", "../secret.py")));

        Assert.Equal(("path_escapes_project", "file_path"), (problem.Code, problem.Field));
        Assert.Equal("main.orchest: step \"Load\" (a): file_path \"../secret.py\" escapes the project.", problem.Message);
    }

    [Fact]
    public void Validate_AbsoluteFilePath_Reports()
    {
        var problem = Assert.Single(Validate(new TestPipeline().Step("a", "Load", "/data/load.py")));

        Assert.Equal(("path_escapes_project", "main.orchest: step \"Load\" (a): file_path \"/data/load.py\" is absolute and escapes the project; write it relative to the pipeline file."), (problem.Code, problem.Message));
    }

    [Fact]
    public void Validate_SymlinkOutOfProject_Reports()
    {
        var files = new FakeProjectFiles().WithLinkOutside("load.py");

        var problem = Assert.Single(Validate(new TestPipeline().Step("a", "Load", "load.py"), files));

        Assert.Equal(("path_escapes_project", "main.orchest: step \"Load\" (a): file_path \"load.py\" is a symbolic link that resolves outside the project."), (problem.Code, problem.Message));
    }

    [Fact]
    public void Validate_FilePathIsDirectory_Reports()
    {
        var files = new FakeProjectFiles().WithDirectory("data");

        var problem = Assert.Single(Validate(new TestPipeline().Step("a", "Load", "data/"), files));

        Assert.Equal(("step_file_is_directory", "main.orchest: step \"Load\" (a): file_path \"data/\" is a directory, not a file."), (problem.Code, problem.Message));
    }

    [Fact]
    public void Validate_UnsupportedExtension_Reports()
    {
        var problem = Assert.Single(Validate(new TestPipeline().Step("a", "Notes", "notes.TXT")));

        Assert.Equal("unsupported_file_type", problem.Code);
        Assert.Equal("main.orchest: step \"Notes\" (a): file_path \"notes.TXT\" has the unsupported extension \".TXT\" (supported: .ipynb, .py, .sh, .R, .jl, .js, .cs, or none (run with bash)).", problem.Message);
    }

    [Fact]
    public void Validate_UnknownEnvironment_Reports()
    {
        var builder = new TestPipeline().Step("a", "Load", "load.py").Set("a", "environment", Env);
        var files = new FakeProjectFiles().WithFiles("load.py");

        var problem = Assert.Single(Validate(builder, files));

        Assert.Equal(("unknown_environment", "environment"), (problem.Code, problem.Field));
        Assert.Equal($"main.orchest: step \"Load\" (a): environment \"{Env}\" does not exist in the project (no .orchest/environments/{Env}/properties.json).", problem.Message);
    }

    [Fact]
    public void Validate_EmptyEnvironment_IsAllowed()
    {
        var builder = new TestPipeline().Step("a", "Load", "load.py").Set("a", "environment", "");

        Assert.Empty(Validate(builder, new FakeProjectFiles().WithFiles("load.py")));
    }

    [Fact]
    public void Validate_EmptyFilePath_ReportedOnceAsMissingField()
    {
        var problem = Assert.Single(Validate(new TestPipeline().Step("a", "New step", "")));

        Assert.Equal(("missing_field", "main.orchest: step \"New step\" (a): file_path is empty."), (problem.Code, problem.Message));
    }

    [Fact]
    public void Validate_ThreeDifferentProblems_ReportsAllThree()
    {
        var builder = new TestPipeline()
            .Step("a", "A", "a.py", "ghost")
            .Step("b", "B", "../b.py")
            .Step("c", "C", "c.py").Set("c", "environment", "no-such-env");
        var files = new FakeProjectFiles().WithFiles("a.py", "c.py");

        var problems = Validate(builder, files);

        Assert.Equal(["unknown_parent", "path_escapes_project", "unknown_environment"], problems.Select(p => p.Code));
    }

    [Fact]
    public void Validate_ParseAndProjectProblems_ReportedTogether()
    {
        var builder = new TestPipeline().Step("a", "A", "a.py", "b").Step("b", "B", "b.py", "a");
        builder.Settings["failure_policy"] = "stop";
        builder.Set("a", "parameters", new JsonArray());

        var problems = Validate(builder, new FakeProjectFiles().WithFiles("a.py"));

        Assert.Equal(["invalid_setting", "invalid_field_type", "cycle", "step_file_missing"], problems.Select(p => p.Code));
    }
}
