using Orchest.Engine.Jobs;
using Orchest.Engine.Ports;
using Orchest.Functions.Api;
using Orchest.Functions.Jobs;
using Orchest.Functions.Tests.Support;
using Orchest.Storage.Azure;
using Orchest.Storage.Azure.Tables;
using Orchest.Testing;
using Xunit.Abstractions;

namespace Orchest.Functions.Tests;

/// <summary>
/// What <c>GET /api/jobs/{id}</c> and the job's page read (the job and its history: two storage reads) agree
/// with each other when a tick is recorded between the two reads: every tick listed with its runs is counted.
/// </summary>
[Collection(ServedCollection.Name)]
public sealed class JobReadTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task FindWithHistory_TickRecordedBetweenTheReads_EveryListedTickIsCounted()
    {
        await using var bed = new ServedTestbed(azurite, output);
        var account = new OrchestStorageAccount(new AzureStorageOptions { ConnectionString = bed.ConnectionString, NamePrefix = bed.Prefix });
        await account.InitializeAsync();
        var store = new TableJobStore(account);
        var job = new JobDefinition
        {
            Id = Guid.NewGuid().ToString(), ProjectId = "p1", Name = "nightly", PipelinePath = "main.orchest",
            Schedule = new JobSchedule { Cron = "0 3 * * *" }, Created = T0,
        };
        await store.CreateAsync(job, new JobState { Status = JobStatus.Started, Updated = T0 });
        await store.ApplyAsync(Recorded(job.Id, 1));

        // As the job's orchestration records tick 2 (its state and its history row in one batch) between the reads.
        var interleaved = new WriteAfterFirstRead(store, () => store.ApplyAsync(Recorded(job.Id, 2)));
        var (found, history) = (await JobsApi.FindWithHistoryAsync(interleaved, job.Id, new JobOptions(), CancellationToken.None))!.Value;

        Assert.True(interleaved.Wrote, "the tick was not recorded between the reads");
        Assert.Contains(1L, history.Select(t => t.Sequence));
        Assert.All(history.Where(t => t.RunIds.Count > 0), t => Assert.True(
            t.Sequence <= found.State.Ticks, $"tick {t.Sequence} is listed but the job counts {found.State.Ticks} ticks"));
        Assert.Null(await JobsApi.FindWithHistoryAsync(interleaved, Guid.NewGuid().ToString(), new JobOptions(), CancellationToken.None));
    }

    private static JobProgress Recorded(string jobId, long sequence) => new(
        jobId,
        new JobState { Status = JobStatus.Started, Ticks = sequence, Runs = sequence, Updated = T0.AddMinutes(sequence) },
        JobStatus.Started,
        new JobTick
        {
            Sequence = sequence, Key = $"at:{sequence}", Kind = JobTickKind.Scheduled, ScheduledFor = T0.AddMinutes(sequence),
            Started = T0.AddMinutes(sequence), RunIds = [$"run-{sequence}"],
        });

    /// <summary>The real store, with one write of the test's made right after the first job or history read returned.</summary>
    private sealed class WriteAfterFirstRead(IJobStore store, Func<Task> write) : IJobStore
    {
        public bool Wrote { get; private set; }

        public async Task<JobSnapshot?> GetAsync(string jobId, CancellationToken cancellationToken = default) =>
            await ThenWriteAsync(await store.GetAsync(jobId, cancellationToken));

        public async Task<IReadOnlyList<JobTick>> ListTicksAsync(string jobId, int count, CancellationToken cancellationToken = default) =>
            await ThenWriteAsync(await store.ListTicksAsync(jobId, count, cancellationToken));

        public Task<JobTick?> FindTickAsync(string jobId, string key, CancellationToken cancellationToken = default) =>
            store.FindTickAsync(jobId, key, cancellationToken);

        public Task CreateAsync(JobDefinition definition, JobState state, CancellationToken cancellationToken = default) =>
            store.CreateAsync(definition, state, cancellationToken);

        public Task<IReadOnlyList<JobSnapshot>> ListAsync(string projectId, CancellationToken cancellationToken = default) =>
            store.ListAsync(projectId, cancellationToken);

        public Task<JobDefinition> UpdateAsync(JobDefinition definition, CancellationToken cancellationToken = default) =>
            store.UpdateAsync(definition, cancellationToken);

        public Task<bool> ApplyAsync(JobProgress progress, IReadOnlyList<JobRunEntry>? runs = null, CancellationToken cancellationToken = default) =>
            store.ApplyAsync(progress, runs, cancellationToken);

        public Task ApplyRequestedAsync(JobProgress progress, CancellationToken cancellationToken = default) =>
            store.ApplyRequestedAsync(progress, cancellationToken);

        public Task<bool> AnnounceAsync(string jobId, CancellationToken cancellationToken = default) =>
            store.AnnounceAsync(jobId, cancellationToken);

        public Task<JobTick> ReserveTickAsync(string jobId, JobTick tick, CancellationToken cancellationToken = default) =>
            store.ReserveTickAsync(jobId, tick, cancellationToken);

        public Task<JobTick?> GetTickAsync(string jobId, long sequence, CancellationToken cancellationToken = default) =>
            store.GetTickAsync(jobId, sequence, cancellationToken);

        public Task<(IReadOnlyList<JobRunEntry> Runs, string? ContinuationToken)> ListRunsAsync(
            string jobId, int pageSize, string? continuationToken, CancellationToken cancellationToken = default) =>
            store.ListRunsAsync(jobId, pageSize, continuationToken, cancellationToken);

        public Task<IReadOnlyList<JobRunEntry>> AllRunsAsync(string jobId, CancellationToken cancellationToken = default) =>
            store.AllRunsAsync(jobId, cancellationToken);

        public Task MarkEndedAsync(string jobId, IReadOnlyList<JobRunEntry> runs, CancellationToken cancellationToken = default) =>
            store.MarkEndedAsync(jobId, runs, cancellationToken);

        public Task UnlistAsync(string projectId, string jobId, CancellationToken cancellationToken = default) =>
            store.UnlistAsync(projectId, jobId, cancellationToken);

        public Task RemoveRunAsync(string jobId, JobRunEntry run, CancellationToken cancellationToken = default) =>
            store.RemoveRunAsync(jobId, run, cancellationToken);

        private async Task<T> ThenWriteAsync<T>(T read)
        {
            if (!Wrote)
            {
                Wrote = true;
                await write();
            }

            return read;
        }
    }
}
