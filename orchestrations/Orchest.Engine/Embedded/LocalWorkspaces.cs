using Orchest.Engine.Ports;
using Orchest.Engine.Runs;

namespace Orchest.Engine.Embedded;

/// <summary>Embedded runs use the project folder as it is (DESIGN §8); engine files go under <c>.orchest/runs/&lt;run&gt;</c>.</summary>
public sealed class LocalWorkspaces(string dataDirectory) : IRunWorkspaces
{
    public Task<RunWorkspace> AcquireAsync(RunRecord run, RunDefinition definition, CancellationToken cancellationToken = default)
    {
        var root = Path.GetFullPath(definition.Workspace);
        Directory.CreateDirectory(dataDirectory);
        return Task.FromResult(new RunWorkspace(root, Path.Combine(root, ".orchest", "runs", run.Id), dataDirectory));
    }

    public Task ReleaseAsync(string runId, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
