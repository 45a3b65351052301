using System.Text.Json.Nodes;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Orchest.Runners.Docker.Services;

/// <summary>
/// A run's running services. Disposing stops and removes every container (keeping each one's log in
/// <see cref="ServiceLaunch.LogDirectory"/>); call it when the run ends, however it ends. A host
/// that dies first leaves them to the <see cref="ContainerJanitor"/> (they carry the run's labels).
/// </summary>
public sealed class StartedServices : IAsyncDisposable
{
    /// <summary>The step variable that carries <see cref="Describe"/> as JSON (read by the SDKs).</summary>
    public const string Variable = Orchest.Pipelines.Services.ServiceDescription.Variable;

    private readonly DockerClient _client;
    private readonly string _logDirectory;
    private readonly List<(string Name, string ContainerId, JsonObject Info)> _started = [];
    private int _disposed;

    internal StartedServices(DockerClient client, string logDirectory)
    {
        _client = client;
        _logDirectory = logDirectory;
    }

    /// <summary>The containers started so far, by service name.</summary>
    public IReadOnlyDictionary<string, string> Containers => _started.ToDictionary(s => s.Name, s => s.ContainerId);

    internal void Add(string name, string containerId, JsonObject info) => _started.Add((name, containerId, info));

    /// <summary>Removes a container that did not start, and forgets it.</summary>
    internal async Task RemoveAsync(string containerId)
    {
        _started.RemoveAll(s => s.ContainerId == containerId);
        await new StepContainer(_client, containerId).RemoveAsync();
    }

    /// <summary>Orchest's <c>get_services()</c> shape: name → the service minus <c>scope</c>, plus where steps reach it.</summary>
    public JsonObject Describe() =>
        new(_started.Select(s => KeyValuePair.Create(s.Name, (JsonNode?)s.Info.DeepClone())));

    /// <summary>
    /// Stops (TERM, KILL after a few seconds), saves each log and removes every container. A stop or a log
    /// read that fails does not keep the container: the log file then says what failed after what could be read.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        foreach (var (name, id, _) in Enumerable.Reverse(_started))
        {
            var container = new StepContainer(_client, id);
            string? problem = null;
            try
            {
                await container.StopAsync(TimeSpan.FromSeconds(3));
            }
            catch (Exception ex) when (IsDockerFailure(ex))
            {
                problem = "stopping it failed (" + FirstLine(ex) + ")";
            }

            await SaveLogAsync(name, id, problem);
            await container.RemoveAsync();
        }
    }

    private static bool IsDockerFailure(Exception ex) => ex is DockerApiException or HttpRequestException or IOException or OperationCanceledException;

    /// <summary>An exception's message as one line (Docker's carry the response body after a line break).</summary>
    private static string FirstLine(Exception ex) => ex.Message.Split('\n', 2)[0].TrimEnd('\r');

    private async Task SaveLogAsync(string name, string id, string? problem)
    {
        var lines = new List<string>();
        string? unread = null;
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            try
            {
                lines.AddRange(await ServiceLogs.ReadAsync(_client, id, tail: null));
                unread = null;
                break;
            }
            catch (Exception ex) when (IsDockerFailure(ex))
            {
                unread = "reading its log failed (" + FirstLine(ex) + ")";
                if (attempt == 1)
                {
                    await Task.Delay(200);
                }
            }
        }

        problem = unread is null ? problem : problem is null ? unread : problem + "; " + unread;
        if (problem is not null)
        {
            lines.Add($"[orchest] service {name}: {problem}; this log may be incomplete.");
        }

        try
        {
            Directory.CreateDirectory(_logDirectory);
            await File.WriteAllLinesAsync(Path.Combine(_logDirectory, name + ".log"), lines);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The run's folder is gone or not writable: nothing to keep the log in; the container still goes.
        }
    }
}
