using System.Text.Json;

namespace Orchest.Sdk.Tests;

public sealed class ContextResolutionTests : IDisposable
{
    private readonly TestPipeline _pipeline = new();

    public void Dispose() => _pipeline.Dispose();

    [Fact]
    public void FromEnvironment_ContextVariable_LoadsThatFile()
    {
        var a = _pipeline.Step("A");
        var path = _pipeline.WriteContextFile(a, [], new { k = 1 }, new { p = "x" });

        var context = StepContext.FromEnvironment(Variables(("ORCHEST_STEP_CONTEXT", path), ("ORCHEST_STEP_UUID", "ignored")));

        Assert.Equal(a.Uuid, context.StepUuid);
        Assert.Equal("A", context.StepTitle);
        Assert.Equal(_pipeline.PipelineUuid, context.PipelineUuid);
        Assert.Equal(_pipeline.RunUuid, context.RunUuid);
        Assert.Equal(1, context.Attempt);
        Assert.Equal(1, context.GetStepParam<int>("k"));
        Assert.Equal("x", context.GetPipelineParam<string>("p"));
    }

    [Fact]
    public void FromEnvironment_NothingSet_SaysWhatToSet()
    {
        var error = Assert.Throws<StepContextException>(() => StepContext.FromEnvironment(Variables()));

        Assert.Equal(
            "No step context: ORCHEST_STEP_CONTEXT is not set, and neither is ORCHEST_STEP_UUID, ORCHEST_PIPELINE_PATH, ORCHEST_PROJECT_DIR. "
            + "The engine sets ORCHEST_STEP_CONTEXT for every step; to run a step by hand, set ORCHEST_STEP_UUID, ORCHEST_PIPELINE_PATH and ORCHEST_PROJECT_DIR.",
            error.Message);
    }

    [Fact]
    public void Load_MissingFile_FailsNamingIt()
    {
        var path = Path.Combine(_pipeline.Root, "nope.json");

        var error = Assert.Throws<StepContextException>(() => StepContext.Load(path));

        Assert.StartsWith($"The step context file \"{path}\" (ORCHEST_STEP_CONTEXT) cannot be read: ", error.Message, StringComparison.Ordinal);
        Assert.Equal(path, error.SourcePath);
    }

    [Theory]
    [InlineData("""{"protocol": 2, "step_uuid": "s", "output": {"kind": "dir", "path": "/tmp/x"}}""", "it uses step protocol 2, newer than the 1 this Orchest.Sdk supports; use a newer Orchest.Sdk.")]
    [InlineData("""{"protocol": 1, "output": {"kind": "dir", "path": "/tmp/x"}}""", "\"step_uuid\" is missing or not a string.")]
    [InlineData("""{"protocol": 1, "step_uuid": "s", "output": null}""", "\"output\" is null; a step always has an output location.")]
    [InlineData("""[1]""", "it is not a JSON object.")]
    public void Load_InvalidContext_SaysWhatIsWrong(string json, string reason)
    {
        var path = _pipeline.WriteContextJson(_pipeline.Step("A"), json);

        var error = Assert.Throws<StepContextException>(() => StepContext.Load(path));

        Assert.Equal($"The step context file \"{path}\" is not valid: {reason}", error.Message);
    }

    [Fact]
    public async Task UnknownLocationKinds_FailOnUseWithNotSupported_ButParametersWork()
    {
        // "blob" is supported (BlobOutputSetTests); a kind from a newer engine is not.
        var a = _pipeline.Step("A");
        const string S3 = """{"kind": "s3", "url": "https://bucket.s3.amazonaws.com/p/", "query": "X-Amz-Signature=secret"}""";
        var path = _pipeline.WriteContextJson(a, $$$"""
            {"protocol": 1, "step_uuid": "{{{a.Uuid}}}", "step_title": "A", "output": {{{S3}}},
             "inputs": [{"step_uuid": "p1", "title": "Parent", "location": {{{S3}}}}],
             "step_parameters": {"k": 5}}
            """);
        var context = StepContext.Load(path);

        Assert.Equal(5, context.GetStepParam<int>("k"));
        var readError = await Assert.ThrowsAsync<NotSupportedException>(() => context.GetInputsAsync());
        var writeError = await Assert.ThrowsAsync<NotSupportedException>(() => context.OutputAsync(1, null));

        Assert.StartsWith("The outputs of incoming step \"Parent\" (\"p1\") are at a location of kind \"s3\", which this version of the .NET step SDK (Orchest.Sdk) does not support", readError.Message, StringComparison.Ordinal);
        Assert.StartsWith($"The outputs of step \"A\" (\"{a.Uuid}\") are at a location of kind \"s3\"", writeError.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", readError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fallback_OrchestStyleVariables_ReadLatestAndWriteManualSet()
    {
        var project = Path.Combine(_pipeline.Root, "project");
        var pipelineUuid = _pipeline.PipelineUuid;
        var pipelinePath = Path.Combine(project, "etl.orchest");
        Directory.CreateDirectory(project);
        await File.WriteAllTextAsync(pipelinePath, $$$"""
            {"uuid": "{{{pipelineUuid}}}", "name": "etl", "version": "1.2.3", "parameters": {"p": "x"},
             "steps": {
               "s-a": {"uuid": "s-a", "title": "A", "incoming_connections": [], "parameters": {}},
               "s-never": {"uuid": "s-never", "title": "Never", "incoming_connections": [], "parameters": {}},
               "s-b": {"uuid": "s-b", "title": "B", "incoming_connections": ["s-a"], "parameters": {"k": 3}},
               "s-c": {"uuid": "s-c", "title": "C", "incoming_connections": ["s-b", "s-never"], "parameters": {}}
             }}
            """);
        var dataDir = Path.Combine(project, ".orchest", "pipelines", pipelineUuid, "data");
        var aSet = new TestStep("s-a", "A", Path.Combine(dataDir, "s-a", "run1-1"));
        await _pipeline.Context(aSet).OutputAsync("from A", null);
        await File.WriteAllTextAsync(Path.Combine(dataDir, "s-a", "LATEST"), "run1-1\n");

        (string, string?)[] env = [("ORCHEST_STEP_UUID", "s-b"), ("ORCHEST_PIPELINE_PATH", pipelinePath), ("ORCHEST_PROJECT_DIR", project)];
        var b = StepContext.FromEnvironment(Variables(env));
        Assert.Equal("B", b.StepTitle);
        Assert.Equal(pipelineUuid, b.PipelineUuid);
        Assert.Null(b.RunUuid);
        Assert.Equal(3, b.GetStepParam<int>("k"));
        Assert.Equal("x", b.GetPipelineParam<string>("p"));
        var inputs = await b.GetInputsAsync();
        Assert.Equal("from A", inputs.Unnamed[0].Deserialize<string>());

        await b.OutputAsync(42, "answer");

        var latest = (await File.ReadAllTextAsync(Path.Combine(dataDir, "s-b", "LATEST"))).Trim();
        Assert.Matches(@"^manual-\d{8}T\d{12}Z$", latest);
        Assert.True(File.Exists(Path.Combine(dataDir, "s-b", latest, "named-answer.meta.json")));
        Assert.Equal(["LATEST", latest], Directory.EnumerateFileSystemEntries(Path.Combine(dataDir, "s-b")).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        var c = StepContext.FromEnvironment(Variables([("ORCHEST_STEP_UUID", "s-c"), .. env[1..]]));
        var error = await Assert.ThrowsAsync<OutputNotFoundException>(() => c.GetInputsAsync());
        Assert.Equal("Output from incoming step \"Never\" (\"s-never\") cannot be found. Try rerunning it.", error.Message);
    }

    [Fact]
    public void Fallback_StepNotInPipeline_SaysSo()
    {
        var pipelinePath = Path.Combine(_pipeline.Root, "p.orchest");
        File.WriteAllText(pipelinePath, """{"uuid": "u", "steps": {}}""");

        var error = Assert.Throws<StepContextException>(() => StepContext.FromEnvironment(Variables(
            ("ORCHEST_STEP_UUID", "s-x"), ("ORCHEST_PIPELINE_PATH", pipelinePath), ("ORCHEST_PROJECT_DIR", _pipeline.Root))));

        Assert.Equal($"Step \"s-x\" (ORCHEST_STEP_UUID) is not in the pipeline file \"{pipelinePath}\".", error.Message);
    }

    [Fact]
    public void Load_UnknownFieldsAndOmittedOptionalFields_AreAccepted()
    {
        var a = _pipeline.Step("A");
        var path = _pipeline.WriteContextJson(a, $$$"""
            {"protocol": 1, "step_uuid": "{{{a.Uuid}}}", "output": {"kind": "dir", "path": "{{{JsonEncodedText.Encode(a.OutputDir)}}}", "extra": 1}, "new_thing": [1]}
            """);

        var context = StepContext.Load(path);

        Assert.Equal(a.Uuid, context.StepTitle);
        Assert.Empty(context.StepParameters);
        Assert.Equal(1, context.Attempt);
    }

    private static Func<string, string?> Variables(params (string Name, string? Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;
}
