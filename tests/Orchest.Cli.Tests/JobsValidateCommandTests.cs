using Orchest.Cli.Tests.Support;
using Orchest.Testing;

namespace Orchest.Cli.Tests;

/// <summary><c>orchest jobs validate</c>: the job files of a project folder checked offline, as a push would; exit 0 or 2.</summary>
public sealed class JobsValidateCommandTests : IDisposable
{
    private readonly TempProject _project = new("jobs-validate");

    [Fact]
    public async Task JobsValidate_ValidFiles_ExitsZeroNamingEach()
    {
        _project.WritePipeline(new PipelineBuilder("Main").Shell("A"), "main.orchest");
        _project.Write(".orchest/jobs/build.json", "{\"on\": {\"push\": {\"branches\": [\"main\"], \"paths\": [\"src/**\"]}}}");
        _project.Write(".orchest/jobs/nightly.json", "{\"pipeline\": \"main.orchest\", \"cron\": \"0 2 * * *\"}");

        var result = await OrchestCli.RunAsync("jobs", "validate", _project.Root);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([".orchest/jobs/build.json: valid", ".orchest/jobs/nightly.json: valid"], result.OutputLines);
    }

    [Fact]
    public async Task JobsValidate_InvalidFiles_ExitsTwoWithEveryProblem()
    {
        _project.WritePipeline(new PipelineBuilder("Main").Shell("A"), "main.orchest");
        _project.Write(".orchest/jobs/ok.json", "{\"on\": {\"push\": {}}}");
        _project.Write(".orchest/jobs/bad.json",
            "{\"pipeline\": \"missing.orchest\", \"cron\": \"every day\", \"env\": {\"TOKEN\": \"x\"}, \"on\": {\"push\": {\"paths\": \"src\"}, \"tag\": {}}}");
        _project.Write(".orchest/jobs/never.json", "{\"pipeline\": \"main.orchest\"}");
        _project.Write(".orchest/jobs/notjson.json", "{");

        var result = await OrchestCli.RunAsync("jobs", "validate", _project.Root);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal([".orchest/jobs/ok.json: valid"], result.OutputLines);
        Assert.Contains("error: .orchest/jobs/bad.json: \"on.tag\" is not a trigger", result.Error, StringComparison.Ordinal);
        Assert.Contains("error: .orchest/jobs/bad.json: \"on.push.paths\" must be a list of globs", result.Error, StringComparison.Ordinal);
        Assert.Contains("error: .orchest/jobs/bad.json: \"env\" is not allowed in a job file", result.Error, StringComparison.Ordinal);
        Assert.Contains("error: .orchest/jobs/never.json: The file must say when the job runs", result.Error, StringComparison.Ordinal);
        Assert.Contains("error: .orchest/jobs/notjson.json: The file is not valid JSON", result.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _project.Dispose();
}
