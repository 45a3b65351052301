using System.Text.Json;
using Orchest.Functions.Azure.Tests.Support;

namespace Orchest.Functions.Azure.Tests;

/// <summary>infra/azure compiles with the Bicep compiler (its linter included) and deploys what the app reads.</summary>
public sealed class InfraTests
{
    private static readonly string Folder = Path.Combine(TestBuild.RepositoryRoot, "infra", "azure");

    [Fact]
    public async Task MainBicep_Compiles_WithoutWarnings()
    {
        var run = await BicepAsync(["build", "main.bicep", "--stdout"]);

        Assert.True(run.ExitCode == 0, run.Errors);
        Assert.Equal("", run.Errors.Trim());
    }

    [Fact]
    public async Task MainBicep_DeploysTheSettingsAndKeyTheAppReads()
    {
        var run = await BicepAsync(["build", "main.bicep", "--stdout"]);
        using var template = JsonDocument.Parse(run.Output);
        var resources = template.RootElement.GetProperty("resources").EnumerateArray().ToList();
        var site = resources.Single(r => r.GetProperty("type").GetString() == "Microsoft.Web/sites");
        var settings = site.GetProperty("properties").GetProperty("siteConfig").GetProperty("appSettings").GetString()!;
        var key = resources.Single(r => r.GetProperty("type").GetString() == "Microsoft.Web/sites/host/functionKeys");

        Assert.Equal("functionapp,linux", site.GetProperty("kind").GetString());
        foreach (var name in new[] { "AzureWebJobsStorage", "Orchest__SecretsKey", "Orchest__Runner", "FUNCTIONS_WORKER_RUNTIME" })
        {
            Assert.Contains($"'{name}'", settings, StringComparison.Ordinal);
        }

        Assert.Contains("dotnet-isolated", site.GetProperty("properties").GetProperty("functionAppConfig").GetString(), StringComparison.Ordinal);
        Assert.Contains("/default/orchest'", key.GetProperty("name").GetString(), StringComparison.Ordinal);
        Assert.Equal("[parameters('apiKey')]", key.GetProperty("properties").GetProperty("value").GetString());
    }

    [Fact]
    public async Task Parameters_TakeSecretsFromTheEnvironmentOnly()
    {
        var without = await BicepAsync(["build-params", "main.bicepparam", "--stdout"], new() { ["ORCHEST_API_KEY"] = null, ["ORCHEST_SECRETS_KEY"] = null });
        var with = await BicepAsync(
            ["build-params", "main.bicepparam", "--stdout"],
            new() { ["ORCHEST_API_KEY"] = "an-api-key-of-enough-length", ["ORCHEST_SECRETS_KEY"] = Convert.ToBase64String(new byte[32]) });

        Assert.NotEqual(0, without.ExitCode);
        Assert.Contains("ORCHEST_API_KEY", without.Errors, StringComparison.Ordinal);
        Assert.True(with.ExitCode == 0, with.Errors);
        Assert.Contains("an-api-key-of-enough-length", with.Output, StringComparison.Ordinal);
    }

    private static async Task<ToolRun> BicepAsync(string[] arguments, Dictionary<string, string?>? environment = null)
    {
        Assert.True(File.Exists(TestBuild.BicepPath), $"No Bicep compiler at \"{TestBuild.BicepPath}\" (package Azure.Bicep.CommandLine.linux-x64).");
        return await ToolRun.RunAsync(TestBuild.BicepPath, arguments, Folder, TimeSpan.FromMinutes(2), environment);
    }
}
