namespace Orchest.Pipelines.Tests;

public sealed class PipelineDiscoveryTests
{
    [Theory]
    [InlineData(".ipynb_checkpoints", true)]
    [InlineData(".orchest", true)]
    [InlineData(".git", true)]
    [InlineData("node_modules", false)]
    [InlineData(".Git", false)]
    [InlineData("data", false)]
    public void IsSkippedDirectory_KnownNames_Skipped(string name, bool skipped)
    {
        Assert.Equal(skipped, PipelineDiscovery.IsSkippedDirectory(name));
    }

    [Theory]
    [InlineData("main.orchest", true)]
    [InlineData("etl.v2.orchest", true)]
    [InlineData("main.ORCHEST", false)]
    [InlineData("main.orchest.bak", false)]
    [InlineData("main.parameters.json", false)]
    public void IsPipelineFile_OrchestExtension_Matches(string name, bool matches)
    {
        Assert.Equal(matches, PipelineDiscovery.IsPipelineFile(name));
    }
}
