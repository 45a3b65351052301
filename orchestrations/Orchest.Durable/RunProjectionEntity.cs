using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging;
using Orchest.Engine.Events;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;

namespace Orchest.Durable;

/// <summary>
/// Writes a run's projection (what the API reads) from the progress its orchestration signals, in order.
/// An entity rather than an activity: entity operations run on the orchestration dispatcher, so the
/// projection never waits behind steps for an activity slot. At least once and idempotent: a progress is
/// applied whole before the entity records it; a redelivered one is skipped or applied again to the same
/// result. Accepted output sets become their step's latest output here. A progress that cannot be
/// written (storage unavailable) is kept in the entity's state and retried by a signal the entity sends
/// itself, with backoff, before anything newer: none is lost and none is applied out of order. After the
/// final progress the entity deletes itself.
/// </summary>
/// <remarks>
/// After a progress is written its events are published (<see cref="IRunEventPublisher"/>: the project's
/// event log and the webhook outbox) as part of the same apply, so a failure there keeps and retries the
/// progress like a failed write: every written event is published at least once, none before it is written.
/// </remarks>
public sealed class RunProjectionEntity(
    IRunProjection projection, IArtifactStore artifacts, ILogger<RunProjectionEntity> logger, IRunEventPublisher? events = null) : ITaskEntity
{
    public const string Name = "RunProjection";
    public const string ApplyOperation = "apply";

    /// <summary>The entity's signal to itself to retry what it kept.</summary>
    public const string RetryOperation = "retry";

    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan LastRetry = TimeSpan.FromMinutes(1);

    public async ValueTask<object?> RunAsync(TaskEntityOperation operation)
    {
        var state = operation.State.GetState<ProjectionState>() ?? new ProjectionState(0);
        var queue = new List<RunProgress>(state.Pending ?? []);
        if (string.Equals(operation.Name, ApplyOperation, StringComparison.OrdinalIgnoreCase))
        {
            var progress = operation.GetInput<RunProgress>()
                ?? throw new InvalidOperationException($"The {Name} entity's {ApplyOperation} needs a progress.");
            queue.Add(progress);
        }
        else if (!string.Equals(operation.Name, RetryOperation, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"The {Name} entity has no operation \"{operation.Name}\".");
        }

        var applied = state.Applied;
        var digest = state.Digest;
        var repaired = state.Repaired;
        var waiting = queue.Count > 0 && state.Pending is { Count: > 0 };
        while (queue.Count > 0)
        {
            var next = queue[0];

            // A final progress under a number already applied with other content still ends the run: the one
            // applied came from an execution that lost a split brain (ProgressBuffer).
            if (next.Sequence > applied || (next.Final && next.Sequence == applied && next.Digest != digest))
            {
                Seen(next, "applied", applied, digest);
                try
                {
                    if (next.Previous is { } previous && previous.Sequence == applied && previous.Digest != digest)
                    {
                        // The progress applied under the previous number was not this execution's: its own first.
                        Logs.ProgressRepaired(logger, next.RunId, previous.Sequence);
                        await ApplyAsync(previous, everyCommit: false);
                        repaired = true;
                    }

                    repaired |= next.Sequence == applied;
                    await ApplyAsync(next, everyCommit: repaired);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Kept, in order; retried when the entity's own signal comes back (one at a time).
                    var retries = state.Retries + 1;
                    Logs.ProgressKept(logger, next.RunId, next.Sequence, queue.Count, retries, ex);
                    operation.State.SetState(new ProjectionState(applied, queue, retries, digest, repaired));
                    if (!waiting || !string.Equals(operation.Name, ApplyOperation, StringComparison.OrdinalIgnoreCase))
                    {
                        var delay = TimeSpan.FromTicks(Math.Min(LastRetry.Ticks, FirstRetry.Ticks << Math.Min(retries - 1, 10)));
                        operation.Context.SignalEntity(operation.Context.Id, RetryOperation, new SignalEntityOptions { SignalTime = DateTimeOffset.UtcNow + delay });
                    }

                    return null;
                }

                applied = next.Sequence;
                digest = next.Digest;
                if (next.Final)
                {
                    operation.State.SetState(null);
                    return null;
                }
            }

            else
            {
                Seen(next, "skipped", applied, digest);
            }

            queue.RemoveAt(0);
        }

        operation.State.SetState(new ProjectionState(applied, Digest: digest, Repaired: repaired));
        return null;
    }

    /// <summary>What the entity saw and did with a progress (debug: the evidence a chaos trial's host logs keep).</summary>
    private void Seen(RunProgress progress, string decision, long applied, string? digest)
    {
        if (!logger.IsEnabled(LogLevel.Debug))
        {
            return; // the names are built only for a host that logs them: every progress passes here
        }

        Logs.ProgressSeen(
            logger, progress.RunId, Named(progress.Sequence, progress.Digest), progress.Events.Count, progress.Final,
            progress.Previous is { } previous ? Named(previous.Sequence, previous.Digest) : "none", decision, applied == 0 ? "none" : Named(applied, digest));
    }

    /// <summary>A progress's number and its digest's first characters: enough to tell two progresses of one number apart.</summary>
    private static string Named(long sequence, string? digest) =>
        sequence.ToString(System.Globalization.CultureInfo.InvariantCulture) + (digest is null ? "" : $" ({digest[..Math.Min(8, digest.Length)]})");

    private async Task ApplyAsync(RunProgress progress, bool everyCommit)
    {
        await projection.ApplyAsync(progress);
        var commits = everyCommit && progress.AllCommits is { } all ? all : progress.Commits;
        if (commits.Count > 0)
        {
            // A step that output nothing keeps its earlier latest output (as in Orchest, where outputs
            // were only ever overwritten by new ones).
            var (projectId, pipelineUuid) = (progress.Run.ProjectId, progress.Run.PipelineUuid);
            var withOutputs = await artifacts.WithOutputsAsync(projectId, pipelineUuid, commits);
            foreach (var commit in commits.Where(withOutputs.Contains))
            {
                await artifacts.CommitLatestAsync(new StepKey(projectId, pipelineUuid, commit.StepUuid), commit.OutputSet);
            }
        }

        if (events is not null)
        {
            await events.PublishAsync(progress);
        }
    }
}
