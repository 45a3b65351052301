using System.Collections.Concurrent;
using Orchest.Durable.Jobs;
using Orchest.Engine.Jobs;
using Orchest.Engine.Ports;
using Orchest.Functions.Hosting;
using Orchest.Functions.Projects;
using Orchest.Git;

namespace Orchest.Functions.GitHooks;

/// <summary>
/// Acts on a verified, first-seen push: ignores what the project does not follow, applies the job files of a push
/// to the project's branch, and starts each push-triggered job whose branch and path filters match, at the
/// pushed commit. The changed files come from git (before..after), never from the payload.
/// </summary>
internal sealed class GitPushHandler(
    DeclaredJobs declared, ProjectMirrors mirrors, IJobStore jobs, IJobRuns runs, ProjectPushLock hosts, TimeProvider clock, ILogger<GitPushHandler> logger)
{
    /// <summary>One push of a project at a time in this process (handlers may be scoped): the job files of two quick pushes apply in turn (across hosts: ProjectPushLock).</summary>
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Projects = new(StringComparer.Ordinal);

    public async Task<GitPushAnswer> HandleAsync(ProjectEntry project, GitDelivery delivery, CancellationToken cancellationToken = default)
    {
        var answer = new GitPushAnswer
        {
            Delivery = delivery.DeliveryId,
            Provider = delivery.Provider.ToString().ToLowerInvariant(),
            Event = delivery.Event,
            Status = "accepted",
            Ref = delivery.Ref,
            Before = delivery.Before,
            After = delivery.After,
        };
        if (delivery.IsPing)
        {
            return answer with { Status = "pong" };
        }

        if (!delivery.IsPush)
        {
            return answer with { Status = "ignored", Reason = $"\"{delivery.Event}\" events start nothing (only pushes do)." };
        }

        if (delivery.Branch is not { } branch)
        {
            return answer with { Status = "ignored", Reason = $"{delivery.Ref} is not a branch: tag pushes start nothing." };
        }

        if (delivery.IsDeletion)
        {
            return answer with { Status = "ignored", Reason = $"Branch {branch} was deleted: a deletion starts nothing." };
        }

        var gate = Projects.GetOrAdd(project.Id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            // And one at a time across hosts (ProjectPushLock).
            await using var held = await hosts.AcquireAsync(project.Id, cancellationToken);
            return await HandlePushAsync(project, delivery, branch, answer, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<GitPushAnswer> HandlePushAsync(ProjectEntry project, GitDelivery delivery, string branch, GitPushAnswer answer, CancellationToken cancellationToken)
    {
        var onBranch = string.Equals(branch, project.Branch, StringComparison.Ordinal);
        var jobs = await declared.ListAsync(project.Id, cancellationToken);
        var followed = onBranch || jobs.Values.Any(j => j.Definition.Declaration is { OnPush: true } d && d.Branches.Any(b => PathGlob.Matches(b, branch)));
        if (!followed)
        {
            return answer with
            {
                Status = "ignored",
                Reason = $"Branch {branch} is not followed: the project follows {project.Branch} and the branches its push-triggered jobs name.",
            };
        }

        // The pushed commit must be in the mirror (fetched now if not): runs are pinned to it.
        var after = await mirrors.ResolveAsync(project.Id, delivery.After, cancellationToken);
        var key = GitDeliveryLog.DeliveryKey(delivery);
        DeclaredJobChanges? changes = null;
        if (onBranch)
        {
            // Job files follow the branch as it is now, not the pushed commit: a late or out-of-order delivery
            // of an older push must not bring older job files back (its runs still run at its own commit).
            var tip = await TipAsync(project.Id, branch, after, cancellationToken);
            changes = new DeclaredJobChanges
            {
                Commit = tip,
                Note = tip == after ? null : $"The job files were read at {tip}, the tip of {branch} now, not at the pushed commit {after}: "
                    + "job files always follow the branch's tip, so an older push delivered late does not undo newer job files.",
            };
            jobs = await declared.SyncAsync(project.Id, tip, key, changes, cancellationToken);
        }

        IReadOnlyList<string>? changed = null;
        var started = new List<PushJobRuns>();
        var skipped = new List<PushJobSkipped>();
        foreach (var (file, job) in jobs.OrderBy(j => j.Key, StringComparer.Ordinal))
        {
            var declaration = job.Definition.Declaration!;
            if (!declaration.OnPush)
            {
                continue;
            }

            var branches = declaration.Branches.Count > 0 ? declaration.Branches : [project.Branch];
            if (!branches.Any(b => PathGlob.Matches(b, branch)))
            {
                skipped.Add(new PushJobSkipped(file, job.Definition.Id, $"Its \"on.push.branches\" does not match {branch}."));
                continue;
            }

            if (declaration.Paths.Count > 0)
            {
                changed ??= await mirrors.ChangedPathsAsync(project.Id, delivery.Before, after, cancellationToken);
                if (!changed.Any(path => PathGlob.MatchesAny(declaration.Paths, path)))
                {
                    skipped.Add(new PushJobSkipped(file, job.Definition.Id, $"No file changed by the push matches its \"on.push.paths\" ({string.Join(", ", declaration.Paths)})."));
                    continue;
                }
            }

            started.Add(await StartAsync(job, file, key, after, cancellationToken));
        }

        var result = answer with { After = after, Jobs = changes, Runs = started, NotStarted = skipped, ChangedFiles = changed?.Count };
        HostLogs.GitHookHandled(logger, project.Id, answer.Provider, delivery.DeliveryId, result.Status, delivery.Ref, after, started.Sum(s => s.RunIds.Count));
        return result;
    }

    /// <summary>The branch's commit in the mirror now (at least as new as any delivery it has fetched for); the pushed commit if the branch is gone.</summary>
    private async Task<string> TipAsync(string projectId, string branch, string after, CancellationToken cancellationToken)
    {
        try
        {
            return await mirrors.ResolveAsync(projectId, "refs/heads/" + branch, cancellationToken);
        }
        catch (GitRefNotFoundException)
        {
            return after; // deleted since: the push's own files are all there is
        }
    }

    private async Task<PushJobRuns> StartAsync(JobSnapshot job, string file, string key, string after, CancellationToken cancellationToken)
    {
        // A delivery handled again (its first handling died or failed after starting this job's tick) goes on
        // with that tick, whose sequence and runs it already has, instead of recording a second one.
        var tickKey = JobRunIds.PushKey(key);
        var sequence = (await jobs.FindTickAsync(job.Definition.Id, tickKey, cancellationToken))?.Sequence ?? job.State.Ticks + 1;
        var now = clock.GetUtcNow();
        var state = job.State with { Updated = now };
        var input = new JobTickInput(
            job.Definition.Id, sequence, tickKey, JobTickKind.Push, now, 0, state, job.State.Status, after);
        var result = await runs.StartTickAsync(input, cancellationToken);
        return new PushJobRuns(file, job.Definition.Id, result.RunIds, result.Problems);
    }
}
