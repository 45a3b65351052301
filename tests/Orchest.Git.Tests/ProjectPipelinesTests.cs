using Orchest.Git.Tests.Support;
using Orchest.Testing;

namespace Orchest.Git.Tests;

/// <summary>samples/quickstart as a repository: what the API lists and reads at a ref.</summary>
public sealed class ProjectPipelinesTests : IDisposable
{
    private readonly GitOrigin _origin = new("quickstart");
    private readonly GitSandbox _sandbox = new();
    private readonly string _project;
    private readonly string _first;

    public ProjectPipelinesTests()
    {
        _origin.CopyFrom(Path.Combine(SourceTree.Root, "samples", "quickstart"), ".orchest/pipelines", ".orchest/runs", ".orchest/data", ".orchest/.gitignore");
        _first = _origin.Commit("quickstart");
        _origin.Tag("v1");
        _project = _sandbox.Register(_origin.Root);
    }

    [Fact]
    public async Task ListAsync_QuickstartRepository_ReturnsItsPipelineWithNameAndSteps()
    {
        var listing = await _sandbox.Pipelines.ListAsync(_project, "main");

        Assert.Equal(_first, listing.Commit);
        var pipeline = Assert.Single(listing.Pipelines);
        Assert.Equal("quickstart.orchest", pipeline.Path);
        Assert.Equal("Quickstart", pipeline.Name);
        Assert.Equal("0e6f2a4c-9d1b-4e3f-8a5c-7b9d1f3e5a00", pipeline.Uuid);
        Assert.Equal(5, pipeline.StepCount);
        Assert.True(pipeline.IsValid);
    }

    [Fact]
    public async Task ListAsync_OlderTag_ReturnsThePipelinesOfThatCommit()
    {
        _origin.Write("more/broken.orchest", "{ not json");
        var second = _origin.Commit("add a broken pipeline");

        var atTag = await _sandbox.Pipelines.ListAsync(_project, "v1");
        var atMain = await _sandbox.Pipelines.ListAsync(_project, null);

        Assert.Equal(_first, atTag.Commit);
        Assert.Single(atTag.Pipelines);
        Assert.Equal(second, atMain.Commit);
        Assert.Equal(["more/broken.orchest", "quickstart.orchest"], atMain.Pipelines.Select(p => p.Path));
        var broken = atMain.Pipelines[0];
        Assert.False(broken.IsValid);
        Assert.Null(broken.Name);
        Assert.Contains(broken.Problems, p => p.Code == "invalid_json");
    }

    [Fact]
    public async Task ReadAsync_ExistingPipeline_ReturnsDefinitionAndProjectFilesAtThatCommit()
    {
        var read = await _sandbox.Pipelines.ReadAsync(_project, _first[..8], "./quickstart.orchest");

        Assert.NotNull(read);
        Assert.Equal("quickstart.orchest", read.Path);
        Assert.Equal(_first, read.Project.Commit);
        Assert.Equal("Quickstart", read.Read.Pipeline!.Name);
        Assert.Equal(Orchest.Pipelines.ProjectPathStatus.File, read.Project.Folder.GetStatus("steps/check_input.sh"));
    }

    [Theory]
    [InlineData("missing.orchest")]
    [InlineData("../outside.orchest")]
    [InlineData("/etc/passwd")]
    [InlineData("steps")]
    public async Task ReadAsync_NoSuchFileInProject_ReturnsNull(string path)
    {
        Assert.Null(await _sandbox.Pipelines.ReadAsync(_project, "main", path));
    }

    [Fact]
    public async Task ListAsync_UnknownRef_ThrowsRefNotFound()
    {
        await Assert.ThrowsAsync<GitRefNotFoundException>(() => _sandbox.Pipelines.ListAsync(_project, "v9"));
    }

    public void Dispose()
    {
        _sandbox.Dispose();
        _origin.Dispose();
    }
}
