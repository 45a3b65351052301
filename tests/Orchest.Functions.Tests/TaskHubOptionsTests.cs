using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orchest.Durable.AzureStorage;

namespace Orchest.Functions.Tests;

/// <summary>Task hub settings: each bad value is named with what to set, and stops the host before it starts.</summary>
public sealed class TaskHubOptionsTests
{
    [Theory]
    [InlineData("Name", "9lives", "Orchest:TaskHub:Name must be 3 to 45 letters and digits, starting with a letter.")]
    [InlineData("PartitionCount", "17", "Orchest:TaskHub:PartitionCount must be between 1 and 16.")]
    [InlineData("WorkItemVisibilityTimeout", "00:00:01", "Orchest:TaskHub:WorkItemVisibilityTimeout must be at least 00:00:05.")]
    [InlineData("MaxQueuePollingInterval", "00:00:00.001", "Orchest:TaskHub:MaxQueuePollingInterval must be at least 00:00:00.0100000.")]
    [InlineData("HistoryPurgeInterval", "00:00:00.5", "Orchest:TaskHub:HistoryPurgeInterval must be at least 00:00:01.")]
    [InlineData("HousekeepingCheckInterval", "00:00:00", "Orchest:TaskHub:HousekeepingCheckInterval must be at least 00:00:01.")]
    [InlineData("LeaseRenewInterval", "00:00:10", "Orchest:TaskHub:LeaseRenewInterval must be shorter than Orchest:TaskHub:LeaseInterval.")]
    public void BadValue_IsNamedWithWhatToSet_AndStopsTheHost(string key, string value, string expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [$"{TaskHubOptions.Section}:{key}"] = value })
            .Build();
        var options = new TaskHubOptions();
        configuration.GetSection(TaskHubOptions.Section).Bind(options);

        Assert.Equal([expected], options.Validate());
        var error = Assert.Throws<OptionsValidationException>(() => new ServiceCollection().AddOrchestTaskHub(
            configuration, "UseDevelopmentStorage=true", "orchesttest", runsWork: false, hostParallelism: 1, runsTimers: true));
        Assert.Equal([expected], error.Failures);
    }

    [Fact]
    public void Defaults_AreValid() => Assert.Empty(new TaskHubOptions().Validate());
}
