using System.Text;
using Azure.Data.Tables;
using Orchest.Storage.Azure.Definitions;
using Orchest.Storage.Azure.Tables;
using Orchest.Storage.Azure.Tests.Support;
using Orchest.Testing;

namespace Orchest.Storage.Azure.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class RunDefinitionTests(AzuriteFixture azurite)
{
    private const string Secret = "s3cr3t-value-that-must-not-leak";

    [Fact]
    public async Task CreateAsync_EnvironmentValues_AbsentFromEveryRowAndFromTheDefinitionBlob()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var store = new TableRunProjection(storage.Account);
        var definitions = new RunDefinitionBlobs(storage.Account);
        var plan = TestPlans.Plan(TestPlans.Chain("A", "B"), environment: new Dictionary<string, string> { ["API_TOKEN"] = Secret });
        var runId = plan.Snapshot.Run.Id;
        await definitions.WriteAsync(plan.Definition);
        await store.CreateAsync(plan.Snapshot, plan.Events);
        var run = new Progress(plan.Snapshot);
        await store.ApplyAsync(run.Start());
        await store.ApplyAsync(run.Cancel());

        foreach (var table in new[] { storage.Account.Runs, storage.Account.RunIndex })
        {
            await foreach (var row in table.QueryAsync<TableEntity>())
            {
                Assert.All(row.Select(kv => kv.Value).OfType<string>(), v => Assert.DoesNotContain(Secret, v, StringComparison.Ordinal));
            }
        }

        var raw = Encoding.UTF8.GetString(await definitions.ReadRawAsync(runId, CancellationToken.None));
        Assert.DoesNotContain(Secret, raw, StringComparison.Ordinal);
        Assert.Contains("API_TOKEN", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetDefinitionAsync_AnotherHostWithTheSameConnection_DecryptsTheValues()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var environment = new Dictionary<string, string> { ["API_TOKEN"] = Secret, ["EMPTY"] = "", ["UNICODE"] = "naïve ✓" };
        var plan = TestPlans.Plan(TestPlans.Chain("A"), environment: environment, workspace: "/srv/project");
        await new RunDefinitionBlobs(storage.Account).WriteAsync(plan.Definition);

        var read = await new RunDefinitionBlobs(storage.OpenAnother()).ReadAsync(plan.Snapshot.Run.Id);

        Assert.NotNull(read);
        Assert.Equal(environment, read.EnvironmentVariables);
        Assert.Equal(plan.Definition.PipelineJson, read.PipelineJson);
        Assert.Equal("/srv/project", read.Workspace);
        Assert.Null(await new RunDefinitionBlobs(storage.Account).ReadAsync("no-such-run"));
    }

    [Fact]
    public async Task GetDefinitionAsync_HostWithAnotherSecretsKey_FailsSayingWhatToAlign()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var plan = TestPlans.Plan(TestPlans.Chain("A"), environment: new Dictionary<string, string> { ["API_TOKEN"] = Secret });
        await new RunDefinitionBlobs(storage.Account).WriteAsync(plan.Definition);
        var otherKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

        var error = await Assert.ThrowsAsync<RunSecretsException>(() =>
            new RunDefinitionBlobs(storage.OpenAnother(o => o.SecretsKey = otherKey)).ReadAsync(plan.Snapshot.Run.Id));

        Assert.Equal(plan.Snapshot.Run.Id, error.RunId);
        Assert.Contains("Orchest:SecretsKey", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.ToString(), StringComparison.Ordinal);
    }
}
