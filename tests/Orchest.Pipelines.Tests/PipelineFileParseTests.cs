using System.Text.Json.Nodes;
using Orchest.Pipelines.Tests.Support;

namespace Orchest.Pipelines.Tests;

public sealed class PipelineFileParseTests
{
    [Fact]
    public void Parse_DataPassingExample_ReadsStepsInFileOrder()
    {
        var result = PipelineFile.Parse(OrchestExamples.DataPassing, "data-passing.orchest");

        Assert.True(result.IsValid, string.Join("\n", result.Problems.Select(p => p.Message)));
        var pipeline = result.Pipeline!;
        Assert.Equal("6698ed48-c20c-409b-a96d-b0a1c4a76bdf", pipeline.Uuid);
        Assert.Equal("data-passing", pipeline.Name);
        Assert.Equal(["A", "B"], pipeline.Steps.Select(s => s.Title));
        var b = pipeline.GetStep("f0079cf0-240a-4178-a0d9-29eb064f7c5a")!;
        Assert.Equal(["a21f3559-911d-4f16-b1bc-a615909ad892"], b.IncomingConnections);
        Assert.Equal("bb37767a-2e1a-4da3-9468-8c9ba1c91a6b", b.Environment);
        Assert.Equal("B.ipynb", b.FilePath);
        Assert.Equal("B.ipynb", b.ProjectPath);
        Assert.Equal(StepFileKind.Notebook, b.Kind);
        Assert.Equal("python", b.KernelLanguage);
        Assert.Equal("test-output.json", (string?)b.Parameters["test-output-file"]);
        Assert.Null(b.Retry);
        Assert.Null(pipeline.GetStep("nope"));
    }

    [Fact]
    public void Parse_InvalidJson_ReportsLineAndColumn()
    {
        var json = "{\n  \"name\": \"x\",\n  \"steps\": {,}\n}";

        var result = PipelineFile.Parse(json, "main.orchest");

        Assert.Null(result.Pipeline);
        Assert.False(result.IsValid);
        var problem = Assert.Single(result.Problems);
        Assert.Equal("invalid_json", problem.Code);
        Assert.Equal("main.orchest: invalid JSON at line 3, column 13: ',' is an invalid start of a property name. Expected a '\"'.", problem.Message);
        Assert.Equal((3, 13), (problem.Line, problem.Column));
        Assert.Equal("main.orchest", problem.PipelinePath);
    }

    [Fact]
    public void Parse_InvalidJsonAfterNonAsciiText_CountsColumnsInCharacters()
    {
        var json = "{\"name\": \"Données\" \"x\"}";

        var problem = Assert.Single(PipelineFile.Parse(json, "main.orchest").Problems);

        Assert.Equal("main.orchest: invalid JSON at line 1, column 20: '\"' is invalid after a value. Expected either ',', '}', or ']'.", problem.Message);
    }

    [Fact]
    public void Parse_TrailingComma_ExplainsWithoutReaderAdvice()
    {
        var problem = Assert.Single(PipelineFile.Parse("{\"steps\": {},}", "main.orchest").Problems);

        Assert.Equal("main.orchest: invalid JSON at line 1, column 14: The JSON object contains a trailing comma at the end which is not supported in this mode.", problem.Message);
    }

    [Fact]
    public void Parse_EmptyText_ReportsEmptyFile()
    {
        var problem = Assert.Single(PipelineFile.Parse("  \n", "main.orchest").Problems);

        Assert.Equal("main.orchest: invalid JSON at line 1, column 1: the file is empty.", problem.Message);
    }

    [Fact]
    public void Parse_TrailingContent_IsInvalidJson()
    {
        var problem = Assert.Single(PipelineFile.Parse("{\"steps\": {}} {}", "main.orchest").Problems);

        Assert.Equal("invalid_json", problem.Code);
        Assert.Equal(15, problem.Column);
    }

    [Theory]
    [InlineData("[1, 2]", "main.orchest: a pipeline file must contain a JSON object, got [1,2].")]
    [InlineData("null", "main.orchest: a pipeline file must contain a JSON object, got null.")]
    [InlineData("\"text\"", "main.orchest: a pipeline file must contain a JSON object, got \"text\".")]
    public void Parse_RootNotObject_ReportsInvalidRoot(string json, string message)
    {
        var result = PipelineFile.Parse(json, "main.orchest");

        Assert.Null(result.Pipeline);
        var problem = Assert.Single(result.Problems);
        Assert.Equal("invalid_root", problem.Code);
        Assert.Equal(message, problem.Message);
    }

    [Fact]
    public void Parse_StepsNotObject_ReportsInvalidFieldType()
    {
        var result = PipelineFile.Parse("""{"name": "x", "uuid": "u", "steps": []}""", "main.orchest");

        Assert.Null(result.Pipeline);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(("invalid_field_type", "steps"), (problem.Code, problem.Field));
        Assert.Equal("main.orchest: steps must be an object of steps keyed by uuid, got [].", problem.Message);
    }

    [Fact]
    public void Parse_StepsMissing_ReportsMissingField()
    {
        var problem = Assert.Single(PipelineFile.Parse("""{"name": "x", "uuid": "u"}""", "main.orchest").Problems);

        Assert.Equal("missing_field", problem.Code);
        Assert.Equal("main.orchest: steps is missing; a pipeline without steps has \"steps\": {}.", problem.Message);
    }

    [Fact]
    public void Parse_DuplicateStepKeys_ReportsDuplicateUuidWithPositionAndKeepsLast()
    {
        var json = """
            {"name": "x", "uuid": "u", "version": "1.2.3", "settings": {}, "parameters": {},
             "steps": {
              "a": {"title": "First", "file_path": "a.py"},
              "a": {"title": "Second", "file_path": "b.py"}
             }}
            """;

        var result = PipelineFile.Parse(json, "main.orchest");

        var problem = Assert.Single(result.Problems);
        Assert.Equal("duplicate_step_uuid", problem.Code);
        Assert.Equal("main.orchest: steps has the step uuid \"a\" more than once (line 4, column 3); only the last one is used.", problem.Message);
        Assert.Equal("a", problem.StepUuid);
        Assert.Equal((4, 3), (problem.Line, problem.Column));
        Assert.Equal("Second", Assert.Single(result.Pipeline!.Steps).Title);
    }

    [Fact]
    public void Parse_DuplicateKeyElsewhere_ReportsDuplicateKey()
    {
        var json = """{"name": "x", "uuid": "u", "version": "1.2.3", "steps": {}, "name": "y"}""";

        var result = PipelineFile.Parse(json, "main.orchest");

        var problem = Assert.Single(result.Problems);
        Assert.Equal("duplicate_key", problem.Code);
        Assert.Equal("main.orchest: \"name\" appears more than once (line 1, column 61); only the last value is used.", problem.Message);
        Assert.Equal("y", result.Pipeline!.Name);
    }

    [Theory]
    [InlineData("\"2.0.0\"", "main.orchest: version \"2.0.0\" is not supported; this runner reads pipeline files of versions 1.0.0 to 1.2.3.")]
    [InlineData("\"1.1.5\"", "main.orchest: version \"1.1.5\" is not supported; this runner reads pipeline files of versions 1.0.0 to 1.2.3.")]
    [InlineData("1.2", "main.orchest: version 1.2 is not supported; this runner reads pipeline files of versions 1.0.0 to 1.2.3.")]
    public void Parse_UnknownVersion_ReportsUnsupportedVersion(string version, string message)
    {
        var json = $$"""{"name": "x", "uuid": "u", "version": {{version}}, "steps": {} }""";

        var result = PipelineFile.Parse(json, "main.orchest");

        Assert.Null(result.Pipeline);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(("unsupported_version", "version"), (problem.Code, problem.Field));
        Assert.Equal(message, problem.Message);
    }

    [Fact]
    public void Parse_UnknownFields_SurviveRoundTrip()
    {
        var document = new TestPipeline().Step("a").ToJsonObject();
        document["hash"] = "abc";
        document["x-ours"] = new JsonObject { ["nested"] = new JsonArray(1, 2.5, "3", null) };
        document["settings"]!["future_setting"] = true;
        document["steps"]!["a"]!["meta_data"] = new JsonObject { ["hidden"] = false, ["position"] = new JsonArray(95.5, 235) };
        document["steps"]!["a"]!["outgoing_connections"] = new JsonArray();

        var pipeline = TestPipeline.Parse(document);

        Assert.True(JsonNode.DeepEquals(document, pipeline.ToJson()), pipeline.ToJson().ToJsonString());
    }

    [Fact]
    public void Parse_NumbersAsWritten_RoundTripExactly()
    {
        var json = """{"name":"x","uuid":"u","version":"1.2.3","settings":{},"parameters":{"big":12345678901234567890123,"f":170.3127159640636,"e":1E+2},"steps":{}}""";

        var pipeline = PipelineFile.Parse(json, "main.orchest").Pipeline!;

        Assert.Equal(json, pipeline.ToJson().ToJsonString());
    }

    [Fact]
    public void ToJson_ReturnsCopy_ChangesDoNotLeakBack()
    {
        var pipeline = new TestPipeline().Step("a").Parse();

        pipeline.ToJson()["name"] = "changed";
        pipeline.Parameters["k"] = 1;
        pipeline.Steps[0].Parameters["k"] = 1;

        Assert.Equal("Main", (string?)pipeline.ToJson()["name"]);
        Assert.Empty(pipeline.Parameters);
        Assert.Empty(pipeline.Steps[0].Parameters);
    }

    [Theory]
    [InlineData("main.orchest", "a.py", "a.py")]
    [InlineData("flows/etl.orchest", "a.py", "flows/a.py")]
    [InlineData("flows/etl.orchest", "../scripts/a.py", "scripts/a.py")]
    [InlineData("flows/etl.orchest", "./sub//a.py", "flows/sub/a.py")]
    [InlineData("flows/etl.orchest", "sub\\a.py", "flows/sub/a.py")]
    [InlineData("./flows/etl.orchest", "a.py", "flows/a.py")]
    [InlineData("flows/etl.orchest", "../../a.py", null)]
    [InlineData("main.orchest", "../a.py", null)]
    [InlineData("main.orchest", "/data/a.py", null)]
    [InlineData("main.orchest", "C:\\a.py", null)]
    public void Parse_StepFilePath_ResolvesFromPipelineFolder(string pipelinePath, string filePath, string? projectPath)
    {
        var pipeline = new TestPipeline().Step("a", "A", filePath).Parse(pipelinePath);

        Assert.Equal(filePath, pipeline.Steps[0].FilePath);
        Assert.Equal(projectPath, pipeline.Steps[0].ProjectPath);
    }

    [Fact]
    public void Parse_PipelinePath_IsNormalised()
    {
        var pipeline = new TestPipeline().Parse(".\\flows\\etl.orchest");

        Assert.Equal("flows/etl.orchest", pipeline.Path);
    }

    [Theory]
    [InlineData("a.ipynb", StepFileKind.Notebook)]
    [InlineData("a.IPYNB", StepFileKind.Notebook)]
    [InlineData("a.py", StepFileKind.Python)]
    [InlineData("a.sh", StepFileKind.Shell)]
    [InlineData("a.R", StepFileKind.R)]
    [InlineData("a.r", StepFileKind.R)]
    [InlineData("a.jl", StepFileKind.Julia)]
    [InlineData("a.js", StepFileKind.JavaScript)]
    [InlineData("a.cs", StepFileKind.CSharp)]
    [InlineData("run", StepFileKind.Shell)]
    [InlineData("dir.v2/run", StepFileKind.Shell)]
    [InlineData("a.txt", StepFileKind.Unsupported)]
    [InlineData("a.tar.gz", StepFileKind.Unsupported)]
    public void Parse_StepFileExtension_DecidesKind(string filePath, StepFileKind kind)
    {
        var pipeline = new TestPipeline().Step("a", "A", filePath).Parse();

        Assert.Equal(kind, pipeline.Steps[0].Kind);
    }

    [Fact]
    public void Parse_OptionalStepFieldsAbsent_UsesDefaults()
    {
        var json = """{"name": "x", "uuid": "u", "version": "1.2.3", "settings": {}, "steps": {"a": {"file_path": "a.py"}}}""";

        var result = PipelineFile.Parse(json, "main.orchest");

        Assert.True(result.IsValid, string.Join("\n", result.Problems.Select(p => p.Message)));
        var step = result.Pipeline!.Steps[0];
        Assert.Equal(("a", "", "", "python"), (step.Uuid, step.Title, step.Environment, step.KernelLanguage));
        Assert.Empty(step.IncomingConnections);
        Assert.Empty(step.Parameters);
        Assert.Empty(result.Pipeline.Parameters);
    }

    [Fact]
    public void Parse_ByteOrderMark_IsIgnored()
    {
        var result = PipelineFile.Parse("\uFEFF" + new TestPipeline().ToJson(), "main.orchest");

        Assert.True(result.IsValid);
    }
}
