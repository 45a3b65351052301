using System.Text;
using System.Text.Json.Nodes;
using Orchest.Functions.Tests.Support;
using Orchest.Testing;
using Xunit.Abstractions;

namespace Orchest.Functions.Tests;

/// <summary>Environment values given at run creation reach the step and nothing else.</summary>
[Collection(ServedCollection.Name)]
public sealed class SecretTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    [Fact]
    public async Task CreateRun_EnvValue_ReachesTheStepButNoTableBlobResponseEventOrHostLog()
    {
        await using var bed = new ServedTestbed(azurite, output);
        var secret = "s3cr3t-" + Guid.NewGuid().ToString("n");
        var seen = Path.Combine(bed.Folder("seen"), "token");
        var pipeline = new PipelineBuilder("secret")
            .Step("Use token", "use.py",
                """
                import os
                import pathlib

                token = os.environ["API_TOKEN"]
                pathlib.Path(os.environ["SEEN_FILE"]).write_text(token)
                print("token of", len(token), "characters")
                """)
            .Shell("After", "Use token");
        using var origin = ServedTestbed.Repository(pipeline);
        var host = await bed.StartHostAsync("solo", "api,worker,timers");
        using var api = bed.Api(host);
        var project = await api.CreateProjectAsync("secret-" + bed.Prefix, origin.Root);

        var (_, created, _) = await api.SendAsync(HttpMethod.Post, $"api/projects/{project}/runs",
            new JsonObject { ["env"] = new JsonObject { ["API_TOKEN"] = secret, ["SEEN_FILE"] = seen } });
        var runId = (string)created!["id"]!;
        var run = await api.WaitForEndAsync(runId, TimeSpan.FromSeconds(120), host.ToString);

        Assert.Equal("SUCCESS", (string?)run["status"]);
        Assert.Equal(secret, await File.ReadAllTextAsync(seen));
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(secret));

        // API responses: creation, the run, the run list, the step's log.
        Assert.DoesNotContain(secret, created.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, run.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, await api.Http.GetStringAsync($"api/projects/{project}/runs"), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, await api.Http.GetStringAsync($"api/runs/{runId}/steps/{pipeline.StepUuid("Use token")}/logs"), StringComparison.Ordinal);

        // Every row of every table (run partition, active and index tables, projects), decoded events included.
        var entities = await bed.Storage.AllEntitiesAsync();
        Assert.Contains(entities, e => e.Entity.PartitionKey == runId);
        Assert.All(entities, e => Assert.DoesNotContain(secret, StorageInspector.Text(e.Entity), StringComparison.Ordinal));
        var events = await bed.Storage.Runs().GetEventsAsync(runId);
        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.DoesNotContain(secret, $"{e}", StringComparison.Ordinal));

        // Every blob, raw: the run definition (the value is sealed there), logs, outputs.
        var blobs = await bed.Storage.AllBlobsAsync();
        Assert.Contains(blobs, b => b.Name == $"definitions/{runId}.json");
        Assert.All(blobs, b =>
        {
            var text = Encoding.UTF8.GetString(b.Content);
            Assert.False(text.Contains(secret, StringComparison.Ordinal) || text.Contains(encoded, StringComparison.Ordinal), $"{b.Container}/{b.Name} holds the secret");
        });

        // The host's own log.
        Assert.DoesNotContain(secret, host.Output, StringComparison.Ordinal);
    }
}
