namespace Orchest.Runners.Docker;

/// <summary>
/// An <see cref="IProgress{T}"/> that handles each report on the caller's thread, in order
/// (<see cref="Progress{T}"/> posts to the thread pool, which reorders build output lines).
/// </summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
