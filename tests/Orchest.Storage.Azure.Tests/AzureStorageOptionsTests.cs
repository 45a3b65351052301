using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orchest.Engine.Ports;
using Orchest.Storage.Azure.Definitions;
using Orchest.Storage.Azure.Tables;

namespace Orchest.Storage.Azure.Tests;

/// <summary>Start-up validation: every problem is reported with what to set, and no key is echoed.</summary>
public sealed class AzureStorageOptionsTests
{
    [Fact]
    public void Validate_Defaults_AreValid() => Assert.Empty(new AzureStorageOptions().Validate());

    [Fact]
    public void Validate_BadValues_ListsEveryProblemWithWhatToSet()
    {
        var problems = new AzureStorageOptions
        {
            ConnectionString = "",
            NamePrefix = "Bad_Prefix",
            Container = "Outputs",
            SasLifetime = TimeSpan.FromSeconds(10),
            SecretsKey = "c2hvcnQ=",
        }.Validate();

        Assert.Equal(5, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("Set AzureWebJobsStorage", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Orchest:Storage:NamePrefix", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Orchest:Storage:Container", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Orchest:Storage:SasLifetime", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Orchest:SecretsKey must be the base64 encoding of exactly 32 bytes", StringComparison.Ordinal));
    }

    [Fact]
    public void OrchestStorageAccount_ConnectionWithoutAccountKeyOrSecretsKey_FailsSayingToSetTheSecretsKey()
    {
        var options = new AzureStorageOptions { ConnectionString = "BlobEndpoint=https://a.example/;QueueEndpoint=https://a.example/;TableEndpoint=https://a.example/;SharedAccessSignature=sv=x&sig=hidden" };

        var error = Assert.Throws<OptionsValidationException>(() => new OrchestStorageAccount(options));

        Assert.Contains("Orchest:SecretsKey", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hidden", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OrchestStorageAccount_MalformedConnectionString_DoesNotEchoIt()
    {
        var error = Assert.Throws<OptionsValidationException>(() => new OrchestStorageAccount(new AzureStorageOptions { ConnectionString = "AccountKey" + "=" + "k;garbage-with-secret" }));

        Assert.Contains("AzureWebJobsStorage is not a usable connection string", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("garbage-with-secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddOrchestAzureStorage_Configuration_RegistersThePortsFromAzureWebJobsStorageAndTheSection()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["Orchest:Storage:NamePrefix"] = "unit",
            ["Orchest:Storage:SasLifetime"] = "01:00:00",
        }).Build();
        using var provider = new ServiceCollection().AddLogging().AddOrchestAzureStorage(configuration).BuildServiceProvider();

        var account = provider.GetRequiredService<OrchestStorageAccount>();
        Assert.Equal("unit", account.Options.NamePrefix);
        Assert.Equal(TimeSpan.FromHours(1), account.Options.SasLifetime);
        Assert.Same(provider.GetRequiredService<TableRunProjection>(), provider.GetRequiredService<IRunProjection>());
        Assert.Same(provider.GetRequiredService<RunDefinitionBlobs>(), provider.GetRequiredService<IRunDefinitions>());
        Assert.NotNull(provider.GetRequiredService<IArtifactStore>());
    }

    [Fact]
    public void AddOrchestAzureStorage_InvalidSection_FailsValidationWithTheProblem()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orchest:Storage:SasLifetime"] = "00:01:00",
        }).Build();
        using var provider = new ServiceCollection().AddLogging().AddOrchestAzureStorage(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AzureStorageOptions>>().Value);

        Assert.Contains("Orchest:Storage:SasLifetime must be at least 00:05:00", error.Message, StringComparison.Ordinal);
    }
}
