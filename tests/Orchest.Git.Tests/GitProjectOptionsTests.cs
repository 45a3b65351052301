using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orchest.Engine.Ports;
using Orchest.Git.Tests.Support;

namespace Orchest.Git.Tests;

public sealed class GitProjectOptionsTests
{
    [Fact]
    public void AddOrchestGit_Configuration_BindsOptionsAndResolvesTheServices()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orchest:Git:CacheDirectory"] = "/var/cache/orchest-git",
            ["Orchest:Git:FetchFreshness"] = "00:00:05",
        }).Build();
        using var provider = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IProjectRepositories, InMemoryProjects>()
            .AddOrchestGit(configuration)
            .BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<GitProjectOptions>>().Value;
        Assert.Equal("/var/cache/orchest-git", options.CacheDirectory);
        Assert.Equal(TimeSpan.FromSeconds(5), options.FetchFreshness);
        Assert.IsType<GitRunWorkspaces>(provider.GetRequiredService<IRunWorkspaces>());
        Assert.NotNull(provider.GetRequiredService<ProjectPipelines>());
    }

    [Fact]
    public void AddOrchestGit_InvalidSettings_FailsNamingEachSetting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orchest:Git:FetchTimeout"] = "00:00:00",
            ["Orchest:Git:FetchFreshness"] = "-00:00:01",
        }).Build();
        using var provider = new ServiceCollection().AddOrchestGit(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<GitProjectOptions>>().Value);

        Assert.Contains(error.Failures, f => f.Contains("Orchest:Git:FetchTimeout", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Orchest:Git:FetchFreshness", StringComparison.Ordinal));
    }

    [Fact]
    public void Defaults_NoSettings_CacheUnderTempAndDataUnderCache()
    {
        var options = new GitProjectOptions();

        Assert.Equal(Path.Combine(Path.GetTempPath(), "orchest-git"), options.CacheRoot);
        Assert.Equal(Path.Combine(options.CacheRoot, "data"), options.DataRoot);
        Assert.Empty(options.Validate());
    }
}
