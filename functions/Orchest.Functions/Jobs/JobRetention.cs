using Orchest.Engine.Jobs;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;
using Orchest.Functions.Hosting;

namespace Orchest.Functions.Jobs;

/// <summary>
/// <c>max_retained_pipeline_runs</c> (Orchest): a job keeps its newest N runs; older ones are deleted once
/// they ended (records and blobs, see <see cref="IRunDeletion"/>). Applied after every tick.
/// </summary>
internal sealed class JobRetention(IJobStore jobs, IRunProjection runs, IRunDeletion deletion, ILogger<JobRetention> logger)
{
    public async Task ApplyAsync(JobDefinition definition, CancellationToken cancellationToken)
    {
        if (definition.MaxRetainedRuns < 0)
        {
            return;
        }

        try
        {
            foreach (var entry in (await jobs.AllRunsAsync(definition.Id, cancellationToken)).Skip(definition.MaxRetainedRuns))
            {
                var status = entry.Final ?? (await runs.GetAsync(entry.RunId, cancellationToken))?.Run.Status;
                if (status is { } known && !known.IsTerminal())
                {
                    continue;
                }

                await deletion.DeleteAsync(entry.RunId, cancellationToken);
                await jobs.RemoveRunAsync(definition.Id, entry, cancellationToken);
                HostLogs.JobRunDeleted(logger, definition.Id, entry.RunId);
            }
        }
        catch (Orchest.Storage.Azure.AzureStorageException ex)
        {
            // The next tick tries again: retention never stops a job's runs from starting.
            HostLogs.JobRetentionFailed(logger, definition.Id, ex);
        }
    }
}
