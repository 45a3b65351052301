namespace Orchest.Engine.Webhooks;

/// <summary>
/// Wakes this host's sender when this host queued deliveries, so new events go out at once rather than at
/// the next poll (the poll is for retries and deliveries other hosts queued or left behind).
/// </summary>
public sealed class OutboxSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Notify() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Completes at the next <see cref="Notify"/> or after <paramref name="timeout"/>, whichever is first.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        var next = Volatile.Read(ref _next).Task;
        using var delay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAny(next, Task.Delay(timeout, clock, delay.Token));
        await delay.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }
}
