using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orchest.Engine.Ports;
using Orchest.Storage.Azure.Queues;

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
            StepsQueue = "Steps",
            SasLifetime = TimeSpan.FromSeconds(10),
            PoisonDequeueCount = 0,
            SecretsKey = "c2hvcnQ=",
        }.Validate();

        Assert.Equal(6, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("Set AzureWebJobsStorage", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Orchest:Storage:NamePrefix", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Orchest:Storage:StepsQueue", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Orchest:Storage:SasLifetime", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Orchest:Storage:PoisonDequeueCount", StringComparison.Ordinal));
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
            ["Orchest:Storage:PoisonDequeueCount"] = "4",
        }).Build();
        using var provider = new ServiceCollection().AddLogging().AddOrchestAzureStorage(configuration).BuildServiceProvider();

        var account = provider.GetRequiredService<OrchestStorageAccount>();
        Assert.Equal("unit", account.Options.NamePrefix);
        Assert.Equal(4, account.Options.PoisonDequeueCount);
        Assert.Same(provider.GetRequiredService<IRunStore>(), provider.GetRequiredService<IRunCatalog>());
        Assert.Same(provider.GetRequiredService<StorageQueueWorkQueue>(), provider.GetRequiredService<IWorkQueue>());
        Assert.NotNull(provider.GetRequiredService<IArtifactStore>());
    }

    [Fact]
    public void AddOrchestAzureStorage_InvalidSection_FailsValidationWithTheProblem()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orchest:Storage:PoisonDequeueCount"] = "0",
        }).Build();
        using var provider = new ServiceCollection().AddLogging().AddOrchestAzureStorage(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AzureStorageOptions>>().Value);

        Assert.Contains("Orchest:Storage:PoisonDequeueCount must be at least 1.", error.Message, StringComparison.Ordinal);
    }
}
