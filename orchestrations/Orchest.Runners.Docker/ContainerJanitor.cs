using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Orchest.Runners.Docker;

/// <summary>
/// Removes step containers nobody will wait for: on host start, those whose run is finished or
/// unknown (a crashed host's orphans); on demand, every container of one run. Only containers of
/// this installation (label <c>orchest.instance</c>) are ever looked at: a Docker host shared with
/// other users, deployments or test sessions keeps theirs.
/// </summary>
public sealed class ContainerJanitor
{
    private readonly DockerClient _client;
    private readonly ILogger _logger;

    /// <summary>A janitor for the default installation (<see cref="InstallationIdentity.Default"/>).</summary>
    public ContainerJanitor(DockerClient client, ILogger<ContainerJanitor>? logger = null)
        : this(client, InstallationIdentity.Default, logger)
    {
    }

    /// <summary>A janitor for installation <paramref name="instance"/> (<see cref="DockerRunnerOptions.Instance"/>).</summary>
    public ContainerJanitor(DockerClient client, string instance, ILogger<ContainerJanitor>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instance);
        _client = client;
        Instance = instance;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>The installation whose containers this janitor removes.</summary>
    public string Instance { get; }

    /// <summary>
    /// Removes every container of this installation labelled <c>orchest.managed=true</c> whose run is
    /// not active (killing it when it still runs), except those whose creating host process still runs
    /// on this machine (it removes them itself, e.g. a CLI run the store does not know).
    /// <paramref name="isRunActive"/> is asked once per run; a container without a run label is an
    /// orphan. Returns the number removed.
    /// </summary>
    public async Task<int> RemoveOrphansAsync(Func<string, Task<bool>> isRunActive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(isRunActive);
        var verdicts = new Dictionary<string, bool>(StringComparer.Ordinal);
        var removed = 0;
        foreach (var container in await ListAsync($"{ContainerLabels.Managed}=true", cancellationToken))
        {
            var labels = container.Labels ?? new Dictionary<string, string>();
            if (labels.TryGetValue(ContainerLabels.Host, out var host) && InstallationIdentity.IsLiveHostHere(host))
            {
                continue;
            }

            var runId = labels.TryGetValue(ContainerLabels.Run, out var run) ? run : "";
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

    /// <summary>
    /// Removes the pipeline-service containers (label <c>orchest.service</c>) of this installation whose run
    /// has ended (<paramref name="hasEnded"/>, asked once per run; false for a run the caller does not know):
    /// what a run's own clean-up missed (its host died with a Docker Engine of its own, or the engine was
    /// away). Services of runs still going, and of runs other installations or CLI sessions own, stay.
    /// Returns the number removed.
    /// </summary>
    public async Task<int> RemoveServicesOfEndedRunsAsync(Func<string, Task<bool>> hasEnded, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hasEnded);
        var removed = 0;
        var services = (await ListAsync($"{ContainerLabels.Managed}=true", cancellationToken))
            .Where(c => c.Labels is not null && c.Labels.ContainsKey(Services.ServiceContainers.ServiceLabel) && c.Labels.ContainsKey(ContainerLabels.Run));
        foreach (var run in services.GroupBy(c => c.Labels[ContainerLabels.Run], StringComparer.Ordinal))
        {
            if (!await hasEnded(run.Key))
            {
                continue;
            }

            foreach (var container in run)
            {
                if (await RemoveAsync(container.ID))
                {
                    Logs.OrphanRemoved(_logger, run.Key, container.ID);
                    removed++;
                }
            }
        }

        return removed;
    }

    /// <summary>Removes every container of <paramref name="runId"/> in this installation (running ones are killed). Returns the number removed.</summary>
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

    /// <summary>Containers of <paramref name="runId"/> in this installation that still exist (running or not).</summary>
    public async Task<IReadOnlyList<string>> ListRunContainersAsync(string runId, CancellationToken cancellationToken = default) =>
        (await ListAsync($"{ContainerLabels.Run}={runId}", cancellationToken)).Select(c => c.ID).ToList();

    /// <summary>Containers with <paramref name="label"/> and this installation's label (Docker ANDs label filters).</summary>
    private async Task<IList<ContainerListResponse>> ListAsync(string label, CancellationToken cancellationToken) =>
        await _client.Containers.ListContainersAsync(
            new ContainersListParameters
            {
                All = true,
                Filters = new Dictionary<string, IDictionary<string, bool>>
                {
                    ["label"] = new Dictionary<string, bool> { [label] = true, [$"{ContainerLabels.Instance}={Instance}"] = true },
                },
            },
            cancellationToken);

    private async Task<bool> RemoveAsync(string id)
    {
        var removed = await new StepContainer(_client, id).RemoveAsync();
        if (!removed)
        {
            Logs.ContainerNotRemoved(_logger, id, new InvalidOperationException("remove failed three times"));
        }

        return removed;
    }
}
