using Orchest.Engine.Ports;
using Orchest.Engine.Runs;

namespace Orchest.Durable.Tests;

/// <summary>A projection that records what it was asked to apply and fails while <see cref="Failing"/> is above zero.</summary>
internal sealed class RecordingProjection : IRunProjection
{
    public List<long> Applied { get; } = [];

    /// <summary>The digest of each applied progress, beside <see cref="Applied"/>.</summary>
    public List<string?> AppliedDigests { get; } = [];

    /// <summary>How many more applies fail (as with storage unavailable).</summary>
    public int Failing { get; set; }

    public Task ApplyAsync(RunProgress progress, CancellationToken cancellationToken = default)
    {
        if (Failing > 0)
        {
            Failing--;
            throw new IOException("storage unavailable");
        }

        Applied.Add(progress.Sequence);
        AppliedDigests.Add(progress.Digest);
        return Task.CompletedTask;
    }

    public Task CreateAsync(RunSnapshot run, IReadOnlyList<RunEvent> events, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<RunSnapshot?> GetAsync(string runId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<RunRecord?> GetRecordAsync(string runId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<RunPage> ListAsync(RunQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<RunEvent>> GetEventsAsync(string runId, long after = -1, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<bool?> IsStoppingAsync(string runId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task RequestCancelAsync(string runId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<BegunAttempt> BeginAttemptAsync(string runId, string stepUuid, int dispatchedAttempt, string host, DateTimeOffset started, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();
}
