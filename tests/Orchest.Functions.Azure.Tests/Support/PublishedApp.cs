using System.Text.Json;

namespace Orchest.Functions.Azure.Tests.Support;

/// <summary>
/// The published Functions app: the folder <c>infra/test.sh</c> publishes to and names in
/// <see cref="Variable"/>; without it a local run publishes to a temp folder itself, and CI fails (the
/// test command must publish what CI checks).
/// </summary>
public sealed class PublishedApp : IAsyncLifetime
{
    public const string Variable = "ORCHEST_FUNCTIONS_AZURE_PUBLISH";

    private string? _ownFolder;

    public string Folder { get; private set; } = "";

    public IReadOnlyList<FunctionEntry> Functions { get; private set; } = [];

    public async Task InitializeAsync()
    {
        var given = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(given))
        {
            Folder = given;
        }
        else if (TestBuild.IsCi)
        {
            throw new InvalidOperationException(
                $"CI=true and {Variable} is not set: infra/test.sh publishes functions/Orchest.Functions.Azure and names the folder there.");
        }
        else
        {
            Folder = _ownFolder = Path.Combine(Path.GetTempPath(), $"orchest-fnapp-{Guid.NewGuid():N}");
            await PublishAsync(Folder);
        }

        var metadata = Path.Combine(Folder, "functions.metadata");
        if (!File.Exists(metadata))
        {
            throw new InvalidOperationException($"{Folder} has no functions.metadata: it is not a publish of functions/Orchest.Functions.Azure.");
        }

        await using var stream = File.OpenRead(metadata);
        Functions = await JsonSerializer.DeserializeAsync<List<FunctionEntry>>(stream)
            ?? throw new InvalidOperationException($"{metadata} is empty.");
    }

    public FunctionEntry? Find(string name) =>
        Functions.SingleOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>A published file parsed as JSON (host.json has comments, as the Functions host allows).</summary>
    public JsonDocument ReadJson(string relativePath) => JsonDocument.Parse(
        File.ReadAllText(Path.Combine(Folder, relativePath)),
        new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });

    public Task DisposeAsync()
    {
        if (_ownFolder is not null && Directory.Exists(_ownFolder))
        {
            Directory.Delete(_ownFolder, recursive: true);
        }

        return Task.CompletedTask;
    }

    private static async Task PublishAsync(string folder)
    {
        var project = Path.Combine(TestBuild.RepositoryRoot, "functions", "Orchest.Functions.Azure", "Orchest.Functions.Azure.csproj");
        var run = await ToolRun.RunAsync(
            "dotnet", ["publish", project, "-c", TestBuild.Configuration, "-o", folder, "-nologo", "-v", "q"],
            TestBuild.RepositoryRoot, TimeSpan.FromMinutes(5));
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish of the Functions app failed ({run.ExitCode}):\n{run.Output}\n{run.Errors}");
        }
    }
}
