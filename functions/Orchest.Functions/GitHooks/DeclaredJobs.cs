using Orchest.Durable.Jobs;
using Orchest.Engine.Events;
using Orchest.Engine.Jobs;
using Orchest.Engine.Ports;
using Orchest.Functions.Api;
using Orchest.Functions.Hosting;
using Orchest.Functions.Jobs;
using Orchest.Git;

namespace Orchest.Functions.GitHooks;

/// <summary>
/// Jobs as code: makes a project's declared jobs what its job files say at a pushed commit. A file's job is
/// created, updated when the file changed (same job id: the file path identifies it) or removed with its file.
/// An invalid file leaves its job as it was; its problems are recorded as a project event and answered.
/// </summary>
internal sealed class DeclaredJobs(
    IJobStore jobs, ProjectMirrors mirrors, ProjectPipelines pipelines, IDurableJobs orchestrations, IJobRuns runs, IEventLog events,
    JobOptions options, HostServiceSupport services, TimeProvider clock, ILogger<DeclaredJobs> logger)
{
    /// <summary>The project's declared jobs that have not ended, by file.</summary>
    public async Task<Dictionary<string, JobSnapshot>> ListAsync(string projectId, CancellationToken cancellationToken = default) =>
        (await jobs.ListAsync(projectId, cancellationToken))
            .Where(j => j.Definition.Declaration is not null && !j.State.Status.IsFinal())
            .GroupBy(j => j.Definition.Declaration!.File, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    /// <summary>Applies the job files at <paramref name="commit"/>; the declared jobs after it, by file.</summary>
    public async Task<Dictionary<string, JobSnapshot>> SyncAsync(
        string projectId, string commit, string deliveryKey, DeclaredJobChanges changes, CancellationToken cancellationToken = default)
    {
        var files = await mirrors.ReadFolderAsync(projectId, commit, DeclaredJobFile.Folder, ".json", cancellationToken);
        var current = await ListAsync(projectId, cancellationToken);
        var now = clock.GetUtcNow();
        foreach (var (file, content) in files)
        {
            current.TryGetValue(file, out var existing);
            if (existing?.Definition.Declaration?.Content == content)
            {
                changes.Unchanged.Add(new DeclaredJobRef(file, existing.Definition.Id));
                continue;
            }

            var problems = new List<string>();
            // Every field comes from the file: one it no longer has goes back to its default.
            var baseline = existing is null
                ? new JobDefinition { Id = Guid.CreateVersion7(now).ToString(), ProjectId = projectId, Name = "", PipelinePath = "", Schedule = new JobSchedule(), Created = now }
                : existing.Definition with
                {
                    Revision = existing.Definition.Revision + 1, Updated = now, Schedule = new JobSchedule(), Parameters = null, Grid = null, Ref = null,
                    MaxRetainedRuns = -1, Name = "", PipelinePath = "",
                };
            var read = DeclaredJobFile.Read(file, content, commit, baseline, problems);
            var declaredRef = read?.Ref;
            var definition = read is null ? null : await JobValidation.CheckAsync(read with { Ref = commit }, pipelines, services, now, problems, cancellationToken);
            if (definition is null || problems.Count > 0)
            {
                await ReportInvalidAsync(projectId, commit, deliveryKey, file, problems, changes, cancellationToken);
                continue;
            }

            definition = definition with { Ref = declaredRef };
            if (existing is null)
            {
                current[file] = await CreateAsync(definition, now, cancellationToken);
                changes.Created.Add(new DeclaredJobRef(file, definition.Id));
            }
            else if (IsOrchestrated(existing.Definition) == IsOrchestrated(definition) && !IsOneOff(definition))
            {
                var updated = await jobs.UpdateAsync(definition with { ETag = existing.Definition.ETag }, cancellationToken);
                if (IsOrchestrated(updated))
                {
                    await orchestrations.SendAsync(
                        updated.Id, new JobCommand(JobCommandKind.Update, Guid.NewGuid().ToString(), updated.Schedule, updated.Revision), cancellationToken);
                }

                current[file] = existing with { Definition = updated };
                changes.Updated.Add(new DeclaredJobRef(file, updated.Id));
                HostLogs.DeclaredJobChanged(logger, projectId, file, commit, updated.Id, "updated");
            }
            else
            {
                // A push job that became scheduled (or the reverse), or a one-off job: replaced by a new job.
                await RemoveAsync(existing, commit, cancellationToken);
                var replacement = definition with { Id = Guid.CreateVersion7(now).ToString(), Revision = 1, Created = now, Updated = null, ETag = "" };
                current[file] = await CreateAsync(replacement, now, cancellationToken);
                changes.Removed.Add(new DeclaredJobRef(file, existing.Definition.Id));
                changes.Created.Add(new DeclaredJobRef(file, replacement.Id));
            }
        }

        foreach (var (file, gone) in current.Where(c => !files.ContainsKey(c.Key)).ToList())
        {
            await RemoveAsync(gone, commit, cancellationToken);
            current.Remove(file);
            changes.Removed.Add(new DeclaredJobRef(file, gone.Definition.Id));
        }

        return current;
    }

    /// <summary>A job with a schedule has an orchestration; a push-only job has none (pushes start its runs).</summary>
    public static bool IsOrchestrated(JobDefinition definition) => definition.Schedule.IsCron || definition.Schedule.StartAt is not null;

    /// <summary>A job declared in the repository that only pushes start: it has no orchestration.</summary>
    public static bool IsPushOnly(JobDefinition definition) => definition.Declaration is not null && !IsOrchestrated(definition);

    private static bool IsOneOff(JobDefinition definition) => !definition.Schedule.IsCron && definition.Schedule.StartAt is not null;

    private async Task<JobSnapshot> CreateAsync(JobDefinition definition, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var orchestrated = IsOrchestrated(definition);
        var state = new JobState { Status = orchestrated ? JobStart.StatusOf(definition) : JobStatus.Started, Updated = now };
        await jobs.CreateAsync(definition, state, cancellationToken);
        if (orchestrated)
        {
            await orchestrations.StartAsync(JobStart.Input(definition, now, options), cancellationToken);
        }

        HostLogs.DeclaredJobChanged(logger, definition.ProjectId, definition.Declaration!.File, definition.Declaration.Commit, definition.Id, "created");
        return new JobSnapshot(definition, state);
    }

    /// <summary>Its file is gone: the job ends (a scheduled one is cancelled, its runs stopped) and leaves the project's list.</summary>
    private async Task RemoveAsync(JobSnapshot job, string commit, CancellationToken cancellationToken)
    {
        var id = job.Definition.Id;
        if (IsOrchestrated(job.Definition))
        {
            await orchestrations.SendAsync(
                id, new JobCommand(JobCommandKind.Cancel, Guid.NewGuid().ToString(), Reason: $"its job file was removed at {commit}"), cancellationToken);
        }
        else
        {
            var ended = job.State with { Status = JobStatus.Aborted, Message = $"Its job file was removed at {commit}.", Updated = clock.GetUtcNow() };
            await jobs.ApplyRequestedAsync(new JobProgress(id, ended, job.State.Status), cancellationToken);
            await runs.CancelAsync(id, $"its job file was removed at {commit}", cancellationToken);
        }

        await jobs.UnlistAsync(job.Definition.ProjectId, id, cancellationToken);
        HostLogs.DeclaredJobChanged(logger, job.Definition.ProjectId, job.Definition.Declaration!.File, commit, id, "removed");
    }

    private async Task ReportInvalidAsync(
        string projectId, string commit, string deliveryKey, string file, List<string> problems, DeclaredJobChanges changes, CancellationToken cancellationToken)
    {
        changes.Invalid.Add(new InvalidJobFile(file, problems));
        var message = $"{file} at {commit}: {string.Join(" ", problems)}";
        HostLogs.DeclaredJobInvalid(logger, projectId, file, commit, string.Join(" ", problems));
        var now = clock.GetUtcNow();
        await events.AppendAsync(
        [
            new OrchestEvent
            {
                Id = $"git-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(deliveryKey + "\n" + file)))[..32]}",
                Type = OrchestEventTypes.JobFileInvalid,
                Kind = "git.job_file.invalid",
                Time = now,
                Project = projectId,
                Commit = commit,
                Message = message,
            },
        ], now, cancellationToken);
    }
}
