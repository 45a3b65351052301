using System.Net;
using System.Text.Json.Nodes;
using Orchest.Functions.Tests.Support;
using Orchest.Testing;
using Xunit.Abstractions;

namespace Orchest.Functions.Tests;

/// <summary>A host started in a folder with a local.settings.json (Azure Functions format) takes its settings from it.</summary>
[Collection(ServedCollection.Name)]
public sealed class LocalSettingsTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    [Fact]
    public async Task Serve_LocalSettingsJsonInWorkingDirectory_GivesStorageConnectionApiKeyAndSections()
    {
        await using var bed = new ServedTestbed(azurite, output);
        var folder = bed.Folder("app");
        await File.WriteAllTextAsync(Path.Combine(folder, "local.settings.json"), new JsonObject
        {
            ["IsEncrypted"] = false,
            ["Values"] = new JsonObject
            {
                ["AzureWebJobsStorage"] = bed.ConnectionString,
                ["ORCHEST_API_KEY"] = bed.ApiKey,
                ["Orchest__Storage__NamePrefix"] = bed.Prefix,
                ["Orchest__Git__CacheDirectory"] = Path.Combine(folder, "git"),
            },
        }.ToJsonString());
        using var origin = ServedTestbed.Repository(new PipelineBuilder("settings").Shell("Only"));

        // No connection string, key or prefix on the command line or in the environment.
        var host = bed.Adopt(await OrchestServeProcess.StartAsync("settings", ["--roles", "api"], workingDirectory: folder));
        using var api = bed.Api(host);
        using var anonymous = host.CreateClient();

        var (status, _, _) = await api.SendAsync(HttpMethod.Get, "api/projects");
        Assert.Equal(HttpStatusCode.OK, status);
        using var refused = await anonymous.GetAsync("api/projects");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        // The project lands in the storage account and prefix of the file.
        var project = await api.CreateProjectAsync("settings-" + bed.Prefix, origin.Root);
        var rows = await bed.Storage.EntitiesAsync("orchestprojects");
        Assert.Contains(rows, r => r.RowKey == "id~" + project);
        Assert.True(Directory.Exists(Path.Combine(folder, "git", "mirrors")), "the git cache folder of the file is used");
    }
}
