using Orchest.Testing;
using Orchest.Testing.Served;

namespace Orchest.Chaos.Trials;

/// <summary>One <c>orchest serve</c> process of a trial, with its folder and an HTTP client sending the trial's API key.</summary>
public sealed class TrialHost(string name, string roles, string folder, OrchestServeProcess process, string apiKey) : IAsyncDisposable
{
    public string Name => name;

    public string Roles => roles;

    /// <summary>Everything of this host on disk (git cache, run working copies, data folder): its step processes run below it.</summary>
    public string Folder => folder;

    public string DataDirectory => TestInstallation.DataDirectory(folder);

    public OrchestServeProcess Process => process;

    public HttpClient Client { get; } = process.CreateClient(apiKey);

    /// <summary>True once the trial killed it (its process may take a moment to be reaped).</summary>
    public bool Killed { get; set; }

    public bool Live => !Killed && !process.HasExited;

    /// <summary>Whether a step process's environment says it runs on this host (its working copy or data folder is here).</summary>
    public bool Runs(ProcessEntry step) =>
        new[] { step.Variable("ORCHEST_DATA_DIR"), step.Variable("ORCHEST_PROJECT_DIR") }
            .Any(path => path is not null && (path + "/").StartsWith(folder.TrimEnd('/') + "/", StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await process.DisposeAsync();
    }
}
