namespace Orchest.Runners.Process;

/// <summary>
/// An exclusive lock on a file, between threads and processes: .NET opens a file with
/// <see cref="FileShare.None"/> under an advisory <c>flock</c>, which the OS drops when the holder dies.
/// </summary>
internal sealed class CacheLock : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private readonly FileStream _stream;

    private CacheLock(FileStream stream) => _stream = stream;

    /// <summary>Waits until the lock on <paramref name="path"/> is free and takes it.</summary>
    public static async Task<CacheLock> AcquireAsync(string path, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        while (true)
        {
            try
            {
                return new CacheLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException)
            {
                // Held by another build of the same file.
                await Task.Delay(PollInterval, cancellationToken);
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
