using Orchest.Engine.Events;
using Orchest.Engine.Runs;

namespace Orchest.Durable.Tests;

/// <summary>An event publisher that records the progress it published and fails while <see cref="Failing"/> is above zero.</summary>
internal sealed class RecordingEvents : IRunEventPublisher
{
    public List<long> Published { get; } = [];

    public int Failing { get; set; }

    public Task PublishAsync(RunProgress progress, CancellationToken cancellationToken = default)
    {
        if (Failing > 0)
        {
            Failing--;
            throw new IOException("event table unavailable");
        }

        Published.Add(progress.Sequence);
        return Task.CompletedTask;
    }
}
