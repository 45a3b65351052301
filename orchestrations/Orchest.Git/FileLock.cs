using System.Collections.Concurrent;

namespace Orchest.Git;

/// <summary>
/// An exclusive lock shared by the threads of this process (a semaphore) and by the processes of this
/// machine (an open lock file: .NET takes <c>flock(LOCK_EX)</c> for <see cref="FileShare.None"/> on Unix,
/// and the kernel drops it when a process dies, so a crashed holder never blocks the others).
/// </summary>
internal sealed class FileLock : IDisposable
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);
    private static readonly TimeSpan MaxPoll = TimeSpan.FromMilliseconds(200);

    private readonly SemaphoreSlim _gate;
    private FileStream? _file;

    private FileLock(SemaphoreSlim gate, FileStream file)
    {
        _gate = gate;
        _file = file;
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the lock named by the file <paramref name="path"/>.</summary>
    /// <exception cref="TimeoutException">Another holder kept it longer.</exception>
    public static async Task<FileLock> AcquireAsync(string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        path = Path.GetFullPath(path);
        var gate = Gates.GetOrAdd(path, _ => new SemaphoreSlim(1, 1));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await gate.WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Timed out after {timeout} waiting for lock {Path.GetFileName(path)} (held in this process).");
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var poll = TimeSpan.FromMilliseconds(10);
            while (true)
            {
                try
                {
                    return new FileLock(gate, new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1));
                }
                catch (IOException)
                {
                    // Held by another process: poll, backing off, until the deadline.
                }

                try
                {
                    await Task.Delay(poll, deadline.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"Timed out after {timeout} waiting for lock {Path.GetFileName(path)} (held by another process).");
                }

                poll = poll * 2 > MaxPoll ? MaxPoll : poll * 2;
            }
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    public void Dispose()
    {
        // The lock file stays: deleting it would let a waiter lock a file that is no longer the one others open.
        var file = Interlocked.Exchange(ref _file, null);
        if (file is not null)
        {
            file.Dispose();
            _gate.Release();
        }
    }
}
