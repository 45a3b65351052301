using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Orchest.Runners.Docker;

/// <summary>
/// Removes step containers nobody will wait for: on host start, those whose run is finished or
/// unknown (a crashed host's orphans); on demand, every container of one run.
/// </summary>
public sealed class ContainerJanitor(DockerClient client, ILogger<ContainerJanitor>? logger = null)
{
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    /// <summary>
    /// Removes every container labelled <c>orchest.managed=true</c> whose run is not active (killing it
    /// when it still runs). <paramref name="isRunActive"/> is asked once per run; a container without a
    /// run label is an orphan. Returns the number removed.
    /// </summary>
    public async Task<int> RemoveOrphansAsync(Func<string, Task<bool>> isRunActive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(isRunActive);
        var verdicts = new Dictionary<string, bool>(StringComparer.Ordinal);
        var removed = 0;
        foreach (var container in await ListAsync($"{ContainerLabels.Managed}=true", cancellationToken))
        {
            var runId = container.Labels is { } labels && labels.TryGetValue(ContainerLabels.Run, out var run) ? run : "";
            if (runId.Length > 0 && !verdicts.TryGetValue(runId, out var active))
            {
                active = verdicts[runId] = await isRunActive(runId);
            }
            else
            {
                active = runId.Length > 0 && verdicts[runId];
            }

            if (!active && await RemoveAsync(container.ID))
            {
                Logs.OrphanRemoved(_logger, runId, container.ID);
                removed++;
            }
        }

        return removed;
    }

    /// <summary>Removes every container of <paramref name="runId"/> (running ones are killed). Returns the number removed.</summary>
    public async Task<int> RemoveRunContainersAsync(string runId, CancellationToken cancellationToken = default)
    {
        var removed = 0;
        foreach (var container in await ListAsync($"{ContainerLabels.Run}={runId}", cancellationToken))
        {
            if (await RemoveAsync(container.ID))
            {
                removed++;
            }
        }

        return removed;
    }

    /// <summary>Containers of <paramref name="runId"/> that still exist (running or not).</summary>
    public async Task<IReadOnlyList<string>> ListRunContainersAsync(string runId, CancellationToken cancellationToken = default) =>
        (await ListAsync($"{ContainerLabels.Run}={runId}", cancellationToken)).Select(c => c.ID).ToList();

    private async Task<IList<ContainerListResponse>> ListAsync(string label, CancellationToken cancellationToken) =>
        await client.Containers.ListContainersAsync(
            new ContainersListParameters
            {
                All = true,
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [label] = true } },
            },
            cancellationToken);

    private async Task<bool> RemoveAsync(string id)
    {
        var removed = await new StepContainer(client, id).RemoveAsync();
        if (!removed)
        {
            Logs.ContainerNotRemoved(_logger, id, new InvalidOperationException("remove failed three times"));
        }

        return removed;
    }
}
