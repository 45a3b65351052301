using Docker.DotNet;
using Docker.DotNet.Models;
using Orchest.Engine.Ports;

namespace Orchest.Runners.Docker.Services;

/// <summary>
/// A service container's output while it starts, from an attach made before its start: what a start
/// failure shows when the engine's log of the container reads empty (podman's did, now and then, for a
/// service that printed one line and exited: CI lost it twice). Keeps the last lines only.
/// </summary>
internal sealed class ServiceStartOutput : IAsyncDisposable
{
    private const int Kept = 50;
    private readonly Lines _lines = new();
    private readonly MultiplexedStream? _stream;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;

    private ServiceStartOutput(MultiplexedStream? stream)
    {
        _stream = stream;
        _pump = stream is null ? Task.CompletedTask : ContainerOutput.PumpAsync(stream, _lines, _stop.Token);
    }

    /// <summary>Attaches to created container <paramref name="id"/>; an engine that refuses gives an empty capture.</summary>
    public static async Task<ServiceStartOutput> AttachAsync(DockerClient client, string id)
    {
        try
        {
            return new ServiceStartOutput(await client.Containers.AttachContainerAsync(
                id, tty: false, new ContainerAttachParameters { Stream = true, Stdout = true, Stderr = true }, CancellationToken.None));
        }
        catch (Exception ex) when (ex is DockerApiException or HttpRequestException or IOException)
        {
            return new ServiceStartOutput(null);
        }
    }

    /// <summary>The lines captured, once the output ended (the container exited) or after <paramref name="wait"/>.</summary>
    public async Task<IReadOnlyList<string>> LinesAsync(TimeSpan wait)
    {
        await Task.WhenAny(_pump, Task.Delay(wait));
        return _lines.Tail(Kept);
    }

    public async ValueTask DisposeAsync()
    {
        // The stream goes first: a read that ignores the token must not keep a started service waiting.
        await _stop.CancelAsync();
        _stream?.Dispose();
        try
        {
            await _pump;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection is closed; what was read is kept.
        }

        _stop.Dispose();
    }

    private sealed class Lines : IStepLog
    {
        private readonly Queue<string> _lines = new();
        private readonly Lock _gate = new();

        public string Location => "";

        public ValueTask WriteLineAsync(string line, CancellationToken cancellationToken = default)
        {
            lock (_gate)
            {
                _lines.Enqueue(line);
                if (_lines.Count > Kept)
                {
                    _lines.Dequeue();
                }
            }

            return ValueTask.CompletedTask;
        }

        public IReadOnlyList<string> Tail(int lines)
        {
            lock (_gate)
            {
                return _lines.TakeLast(lines).ToList();
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
