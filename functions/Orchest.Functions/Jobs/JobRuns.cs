using Orchest.Durable.Jobs;
using Orchest.Engine.Events;
using Orchest.Engine.Jobs;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;
using Orchest.Functions.Api;
using Orchest.Functions.Hosting;
using Orchest.Git;
using Orchest.Pipelines;
using Orchest.Pipelines.Parameters;

namespace Orchest.Functions.Jobs;

/// <summary>
/// A job's activities on this host (<see cref="IJobRuns"/>): start a tick's runs through the same run
/// creation as <c>POST .../runs</c> (<see cref="RunStarter"/>), count and cancel the job's runs.
/// </summary>
internal sealed class JobRuns(
    IJobStore jobs, IJobSecrets secrets, ProjectMirrors mirrors, ProjectPipelines pipelines, RunStarter starter,
    IRunProjection runs, JobRetention retention, TimeProvider clock, ILogger<JobRuns> logger) : IJobRuns
{
    /// <summary>Runs of one tick created at once (a 1,000-set grid should not take 1,000 round trips in a row).</summary>
    private const int LaunchParallelism = 8;

    /// <summary>Sequences a push tick tries before giving up (each taken one belongs to another tick).</summary>
    private const int MaxPushSequenceAttempts = 1000;

    public async Task<JobTickResult> StartTickAsync(JobTickInput input, CancellationToken cancellationToken = default)
    {
        if (await jobs.GetAsync(input.JobId, cancellationToken) is not { } job)
        {
            return new JobTickResult([], [$"Job {input.JobId} does not exist any more."], 0, null) { Key = input.Key };
        }

        var definition = job.Definition;
        var tick = await jobs.ReserveTickAsync(input.JobId, await PlanTickAsync(input, definition, cancellationToken), cancellationToken);

        // A tick takes the next free sequence when another tick has the one it was given: another push, or a
        // tick an execution of the job's orchestration started before its host died unrecorded (Durable Task
        // sends an episode's messages before it checkpoints; the execution that replays may plan another
        // tick for that sequence, e.g. a catch-up after an outage). Both ticks and their runs stay on record.
        for (var attempt = 0; tick.Key != input.Key && attempt < MaxPushSequenceAttempts; attempt++)
        {
            if (input.Kind == JobTickKind.Scheduled && tick.Kind == JobTickKind.Scheduled && tick.ScheduledFor < input.ScheduledFor && input.Skipped > 0)
            {
                // The other tick ran one of the missed ticks this one would count as skipped.
                input = input with { Skipped = input.Skipped - 1 };
            }

            input = input with { Sequence = input.Sequence + 1 };
            tick = await jobs.ReserveTickAsync(input.JobId, await PlanTickAsync(input, definition, cancellationToken), cancellationToken);
        }

        var problems = tick.Problems.ToList();
        var (runIds, launched) = tick.Commit is { } commit && problems.Count == 0
            ? await LaunchAsync(input, definition, commit, problems, cancellationToken)
            : ([], tick.Started);

        // The store adds the tick (its sequence, runs and skipped ticks) to the job's counters once, whoever records it.
        var state = input.State with
        {
            Message = problems.Count > 0 ? $"Tick {input.Sequence} started no runs: {string.Join(" ", problems)}" : null,
        };
        var entries = runIds.Select((id, index) => new JobRunEntry(id, input.Sequence, index)).ToList();
        if (!await jobs.ApplyAsync(new JobProgress(input.JobId, state, input.PreviousStatus, tick with { RunIds = runIds, Problems = problems, Started = launched }), entries, cancellationToken))
        {
            HostLogs.JobTickStateLate(logger, input.JobId, input.Sequence, state.Record);
        }

        await retention.ApplyAsync(definition, cancellationToken);
        return new JobTickResult(runIds, problems, definition.Revision, definition.Schedule) { Key = input.Key, Sequence = input.Sequence, Skipped = input.Skipped };
    }

    public async Task<JobRunCounts> CountAsync(string jobId, CancellationToken cancellationToken = default)
    {
        var entries = await jobs.AllRunsAsync(jobId, cancellationToken);
        var statuses = await Task.WhenAll(entries.Select(async e => (Entry: e, Status: e.Final ?? (await runs.GetAsync(e.RunId, cancellationToken))?.Run.Status)));
        var ended = statuses.Where(s => s.Entry.Final is null && s.Status is { } status && status.IsTerminal())
            .Select(s => s.Entry with { Final = s.Status })
            .ToList();
        if (ended.Count > 0)
        {
            await jobs.MarkEndedAsync(jobId, ended, cancellationToken);
        }

        int Count(params ExecutionStatus[] wanted) => statuses.Count(s => s.Status is { } status && wanted.Contains(status));
        return new JobRunCounts(
            Count(ExecutionStatus.Pending, ExecutionStatus.Started), Count(ExecutionStatus.Success), Count(ExecutionStatus.Failure), Count(ExecutionStatus.Aborted))
        {
            JobId = jobId,
        };
    }

    public async Task<int> CancelAsync(string jobId, string reason, CancellationToken cancellationToken = default)
    {
        var cancelled = 0;
        foreach (var entry in await jobs.AllRunsAsync(jobId, cancellationToken))
        {
            if (entry.Final is null && await starter.CancelAsync(entry.RunId, reason, cancellationToken))
            {
                cancelled++;
            }
        }

        return cancelled;
    }

    /// <summary>The tick as this execution would record it: the commit its ref names now (the first execution's choice wins).</summary>
    private async Task<JobTick> PlanTickAsync(JobTickInput input, JobDefinition definition, CancellationToken cancellationToken)
    {
        string? commit = null;
        var problems = new List<string>();
        try
        {
            commit = await mirrors.ResolveAsync(definition.ProjectId, input.Commit ?? definition.Ref, cancellationToken);
        }
        catch (Exception ex) when (ex is GitRefNotFoundException or GitRepositoryException)
        {
            problems.Add(ex.Message);
        }

        return new JobTick
        {
            Sequence = input.Sequence,
            Key = input.Key,
            Kind = input.Kind,
            ScheduledFor = input.ScheduledFor,
            Started = clock.GetUtcNow(),
            Commit = commit,
            Skipped = input.Skipped,
            Problems = problems,
        };
    }

    /// <summary>
    /// Starts a run per parameter set at <paramref name="commit"/> (not before the tick's time: see
    /// <see cref="TickPlanner.Lead"/>); the ids of the runs (empty with <paramref name="problems"/> said) and when they started.
    /// </summary>
    private async Task<(List<string> RunIds, DateTimeOffset Started)> LaunchAsync(
        JobTickInput input, JobDefinition definition, string commit, List<string> problems, CancellationToken cancellationToken)
    {
        var project = definition.ProjectId;
        PipelineAtRef load;
        try
        {
            load = await PipelineAtRef.LoadAsync(pipelines, project, commit, definition.PipelinePath, cancellationToken);
        }
        catch (Exception ex) when (ex is GitRefNotFoundException or GitRepositoryException)
        {
            problems.Add(ex.Message);
            return ([], clock.GetUtcNow());
        }

        problems.AddRange(load.RequestProblems);
        problems.AddRange(load.PipelineProblems);
        if (load.Pipeline is { } declaring && starter.ServicesProblem(declaring) is { } services)
        {
            problems.Add(services);
        }

        var bound = load.Pipeline is { } pipeline ? JobParameters.Read(definition.Parameters, definition.Grid, problems)?.Bind(pipeline, problems) : null;
        var graph = load.Pipeline is { } p ? RunGraphBuilder.Build(p, RunType.Full, []) : null;
        problems.AddRange(graph?.Problems.Select(x => x.Message) ?? []);
        if (bound is null || graph?.Graph is not { } runGraph || problems.Count > 0)
        {
            return ([], clock.GetUtcNow());
        }

        var environment = await secrets.ReadAsync(definition.Id, cancellationToken);
        // The job took the tick early (its timer cannot fire to the second): the runs start on time, not before
        // (a delay may end a millisecond early, hence the loop). Bounded: a clock far off does not hold the tick.
        var until = input.ScheduledFor < clock.GetUtcNow() + 2 * TickPlanner.Lead ? input.ScheduledFor : clock.GetUtcNow() + 2 * TickPlanner.Lead;
        while (input.Kind is JobTickKind.Scheduled or JobTickKind.Once && clock.GetUtcNow() < until)
        {
            await Task.Delay(until - clock.GetUtcNow() + TimeSpan.FromMilliseconds(1), clock, cancellationToken);
        }

        var started = clock.GetUtcNow();
        var ids = bound.Select(b => JobRunIds.For(definition.Id, input.Key, b.Index)).ToList();
        await Parallel.ForEachAsync(bound, new ParallelOptions { MaxDegreeOfParallelism = LaunchParallelism, CancellationToken = cancellationToken }, async (set, token) =>
        {
            var request = new RunRequest
            {
                ProjectId = project,
                Workspace = GitWorkspaceReference.Format(project, commit),
                Commit = commit,
                RunType = RunType.Full,
                SessionType = "noninteractive",
                EnvironmentVariables = environment,
                JobId = definition.Id,
                JobKind = definition.Schedule.IsCron ? OrchestEventTypes.CronJob : OrchestEventTypes.OneOffJob,
                JobTick = input.Sequence,
                JobRunIndex = set.Index,
                JobParameters = set.Parameters,
            };
            await starter.LaunchAsync(request, set.Pipeline, runGraph, ids[set.Index], token);
        });
        HostLogs.JobRunsStarted(logger, definition.Id, input.Sequence, ids.Count, commit);
        return (ids, started);
    }
}
