using DurableTask.AzureStorage;
using Orchest.Durable.AzureStorage;
using Orchest.Testing;
using Orchest.Testing.Served;
using Xunit.Abstractions;

namespace Orchest.Functions.Tests.Support;

/// <summary>
/// One test's served-mode world: a unique storage name prefix on the shared Azurite, an API key, a temp
/// folder, and the real <c>orchest serve</c> hosts the test starts (each with its own git cache and data
/// folder, a task hub of its own with short leases and visibility timeouts). Dispose stops every host
/// (printing its output to the test log), deletes the test's tables, queues and containers, and removes
/// the temp folder.
/// </summary>
internal sealed class ServedTestbed : IAsyncDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly List<OrchestServeProcess> _hosts = [];
    private readonly TestInstallation _installation;

    public ServedTestbed(AzuriteFixture azurite, ITestOutputHelper output)
    {
        _output = output;
        _installation = TestInstallation.Create(azurite.ConnectionString);
        Root = Path.Combine(Path.GetTempPath(), "orchest-tests", "served-" + Prefix);
        Directory.CreateDirectory(Root);
        Storage = new StorageInspector(ConnectionString, Prefix);
    }

    public string ConnectionString => _installation.ConnectionString;

    /// <summary>Prepended to every table and container of this test (its task hub is "orchest" + this).</summary>
    public string Prefix => _installation.Prefix;

    public string ApiKey => _installation.ApiKey;

    public string Root { get; }

    public StorageInspector Storage { get; }

    /// <summary>A folder below the test's temp folder (created).</summary>
    public string Folder(string name) => Directory.CreateDirectory(Path.Combine(Root, name)).FullName;

    /// <summary>The test's task hub as a Durable Task client sees it (to terminate an instance, or send it a message a host would).</summary>
    public AzureStorageOrchestrationService TaskHubService() =>
        new(new TaskHubOptions().ToServiceSettings(ConnectionString, Storage.TaskHub, "test", 1));

    /// <summary>The shared data folder (ORCHEST_DATA_DIR) of the host named <paramref name="host"/>.</summary>
    public string DataDirectory(string host) => TestInstallation.DataDirectory(Path.Combine(Root, host));

    /// <summary>
    /// Starts <c>orchest serve --roles <paramref name="roles"/></c> on this test's storage; <paramref name="settings"/>
    /// (<c>--Section:Key=value</c>) come last and win over the defaults.
    /// </summary>
    public async Task<OrchestServeProcess> StartHostAsync(string name, string roles, params string[] settings)
    {
        var host = await _installation.StartHostAsync(name, roles, Folder(name), settings);
        lock (_hosts)
        {
            _hosts.Add(host);
        }

        return host;
    }

    /// <summary>Takes a host the test started itself, to stop it and print its output at the end.</summary>
    public OrchestServeProcess Adopt(OrchestServeProcess host)
    {
        lock (_hosts)
        {
            _hosts.Add(host);
        }

        return host;
    }

    /// <summary>Starts several hosts at once (their start-up is the slow part of these tests).</summary>
    public Task<OrchestServeProcess[]> StartHostsAsync(params (string Name, string Roles, string[] Settings)[] hosts) =>
        Task.WhenAll(hosts.Select(h => StartHostAsync(h.Name, h.Roles, h.Settings)));

    /// <summary>A client of <paramref name="host"/> that sends this test's API key.</summary>
    public ApiClient Api(OrchestServeProcess host) => new(host.CreateClient(ApiKey));

    /// <summary>A git repository with the given pipeline and its step files, committed on main.</summary>
    public static GitOrigin Repository(PipelineBuilder pipeline, string path = "main.orchest", IReadOnlyDictionary<string, string>? files = null)
    {
        var origin = new GitOrigin("served");
        foreach (var (file, content) in pipeline.StepFiles)
        {
            origin.Write(file, content, executable: file.EndsWith(".sh", StringComparison.Ordinal));
        }

        foreach (var (file, content) in files ?? new Dictionary<string, string>())
        {
            origin.Write(file, content, executable: file.EndsWith(".sh", StringComparison.Ordinal));
        }

        origin.Write(path, pipeline.ToJson());
        origin.Commit("pipeline");
        return origin;
    }

    public async ValueTask DisposeAsync()
    {
        OrchestServeProcess[] hosts;
        lock (_hosts)
        {
            hosts = [.. _hosts];
        }

        try
        {
            await Task.WhenAll(hosts.Select(h => h.DisposeAsync().AsTask()));
            foreach (var host in hosts)
            {
                _output.WriteLine(host.ToString());
            }
        }
        finally
        {
            await Storage.DeleteAllAsync();
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A step process of a failed test may still hold a file; the temp folder is reclaimed later.
            }
        }
    }
}
