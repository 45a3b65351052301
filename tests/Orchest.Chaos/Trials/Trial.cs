using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Orchest.Chaos.Checks;
using Orchest.Chaos.Reporting;
using Orchest.Chaos.Workloads;
using Orchest.Testing;
using Orchest.Testing.Served;

namespace Orchest.Chaos.Trials;

/// <summary>
/// One chaos trial, independent of every other: a fresh installation (storage prefix, task hub) and
/// project, <see cref="TrialPlan.Hosts"/> hosts; the planned runs are started (and some cancelled) over
/// HTTP while one host is SIGKILLed with its steps (and maybe replaced); once every run ended, the
/// invariants are checked. Whatever happens, the hosts, their steps, the storage and the folders go.
/// </summary>
public sealed partial class Trial(TrialPlan plan, ChaosOptions options, string connectionString, TextWriter log)
{
    /// <summary>
    /// In every step's environment: the trial's project id (each trial has a project of its own), so its step
    /// processes can be found, whether a run was started over the API or by a push.
    /// </summary>
    public const string MarkerVariable = "ORCHEST_PROJECT_UUID";

    /// <summary>Cancel (0.5 s poll), TERM and a 3 s grace period: a step outliving its run by more is left behind.</summary>
    private static readonly TimeSpan StepsGoneTimeout = TimeSpan.FromSeconds(20);

    /// <summary>How much of a host's output a host-died violation carries (the rest is in the evidence).</summary>
    private const int HostDiedLines = 30;

    private readonly TestInstallation _installation = TestInstallation.Create(connectionString);
    private readonly Stopwatch _workload = new();
    private readonly Lock _gate = new();
    private readonly List<Violation> _violations = [];
    private List<SubmittedRun> _runs = [];
    private HostKill? _kill;
    private IReadOnlyList<ObservedRun> _observed = [];
    private double? _endedAfter;
    private IReadOnlyList<string> _hostStates = [];
    private DateTime _workloadStarted;
    private string? _project;
    private string? _jobId;
    private ObservedJob? _job;

    private string Marker => _project ?? throw new InvalidOperationException("No project registered yet.");

    public async Task<TrialReport> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var load = LoadAverage();
        var root = Path.Combine(Path.GetTempPath(), "orchest-chaos", _installation.Prefix);
        var storage = new StorageInspector(connectionString, _installation.Prefix);
        var origin = WorkloadRepository.Create(plan);
        var hosts = new TrialHosts(_installation, root, options.HostSettings);
        _runs = [.. plan.Runs.Select(r => new SubmittedRun(r))];
        string? evidence = null;
        try
        {
            await ExecuteAsync(hosts, storage, origin, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Violate(new Violation(ViolationKinds.TrialError, null, ex.ToString()));
        }
        finally
        {
            _hostStates = HostStates(hosts);
            await hosts.DisposeAsync();
            await KillLeftoversAsync();
            if (_violations.Count > 0 || options.EvidenceAlways)
            {
                evidence = await WriteEvidenceAsync(hosts, storage);
            }

            await storage.DeleteAllAsync();
            origin.Dispose();
            DeleteFolder(root);
        }

        return Report(clock.Elapsed.TotalSeconds, load, hosts, evidence);
    }

    private async Task ExecuteAsync(TrialHosts hosts, StorageInspector storage, GitOrigin origin, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        await hosts.StartAsync(plan.Hosts);
        var api = new ChaosApi(hosts, _workload);
        var registration = new JsonObject
        {
            ["name"] = "chaos-" + _installation.Prefix, ["repository"] = origin.Root, ["webhook_secret"] = TrialHosts.WebhookSecretName,
        };
        var registered = await api.PostAsync("api/projects", registration, cancellationToken);
        var project = registered.Status == HttpStatusCode.Created && (string?)registered.Body?["id"] is { } id
            ? id
            : throw new InvalidOperationException($"POST /api/projects answered {registered.Outcome}: {registered.Error ?? registered.Body?.ToJsonString()}");
        _project = project;
        await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"trial {plan.Index} (seed {plan.Seed}): {plan.Hosts} hosts up and the project registered in {started.Elapsed.TotalSeconds:0.0} s; {plan.Runs.Count} runs, a kill at {plan.Kill.At.TotalSeconds:0.0} s"));

        _jobId = await CreateJobAsync(api, project, cancellationToken);
        _workloadStarted = DateTime.Now;
        _workload.Start();
        var pushes = new PushSender(api, origin, project, hosts.WebhookSecret);
        await Task.WhenAll([.. _runs.Select(run => SubmitAsync(api, pushes, project, run, cancellationToken)), KillAsync(hosts, pushes, cancellationToken)]);
        var jobCancel = _jobId is null ? null : await api.DeleteAsync($"api/jobs/{_jobId}", cancellationToken);
        var listed = await WaitForEndAsync(api, storage, project, cancellationToken);
        await CheckStepsGoneAsync();
        _observed = await new RunObserver(api, storage, project).ObserveAsync(_runs, listed, cancellationToken);
        foreach (var run in _observed)
        {
            Violate([.. RunChecks.Check(run), .. EventChecks.Check(run), .. CommitChecks.Check(run)]);
        }

        if (_jobId is not null)
        {
            _job = await ObserveJobAsync(api, _jobId, jobCancel, cancellationToken);
            Violate([.. JobChecks.Check(_job, _observed)]);
        }

        if (_kill is { } kill)
        {
            Violate([.. KillChecks.Check(kill, _observed)]);
        }

        Violate([.. TriggerChecks.Check(_runs, _observed, await ClaimedDeliveriesAsync(storage, project))]);

        Violate([.. HostsDied(hosts)]);
    }

    /// <summary>Hosts that exited although the trial did not kill them (they are still running until the trial stops them).</summary>
    private IEnumerable<Violation> HostsDied(TrialHosts hosts)
    {
        foreach (var host in hosts.All.Where(h => !h.Killed && h.Process.HasExited))
        {
            var at = host.Process.ExitTime is { } exited ? string.Create(CultureInfo.InvariantCulture, $"{(exited - _workloadStarted).TotalSeconds:0.0} s into the workload") : "at an unknown time";
            var last = host.Process.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(HostDiedLines);
            yield return new Violation(ViolationKinds.HostDied, null,
                $"{host.Name} exited by itself with {host.Process.ExitCode} {at}; its last lines:\n{string.Join('\n', last)}");
        }
    }

    /// <summary>
    /// Starts the run at its moment, on the next live host (over the API, or by its push); cancels it at its
    /// moment if planned (once the start answered). The push aimed at the kill is sent by <see cref="KillAsync"/>.
    /// </summary>
    private async Task SubmitAsync(ChaosApi api, PushSender pushes, string project, SubmittedRun run, CancellationToken cancellationToken)
    {
        if (run.Plan.Trigger == RunTrigger.PushAtKill)
        {
            return;
        }

        await UntilAsync(run.Plan.SubmitAt, cancellationToken);
        if (run.Plan.Pushed)
        {
            await PushAsync(pushes, run, null, cancellationToken);
            return;
        }

        var body = new JsonObject { ["pipeline"] = run.Plan.PipelinePath };
        run.Submission = await api.PostAsync($"api/projects/{project}/runs", body, cancellationToken);
        if (run.Acknowledged)
        {
            run.RunId = (string?)run.Submission.Body?["id"];
        }
        else if (run.Submission.Status is { } status)
        {
            Violate(new Violation(ViolationKinds.ApiError, null,
                $"host {run.Submission.Host} answered {(int)status} to starting {run.Plan.Name}: {run.Submission.Body?.ToJsonString()}"));
        }

        if (run.Plan.CancelAfter is { } after && run.RunId is { } runId)
        {
            await Task.Delay(after, cancellationToken);
            run.Cancel = await api.DeleteAsync($"api/runs/{runId}", cancellationToken);
            if (run.Cancel.Status is { } answered && answered is not (HttpStatusCode.OK or HttpStatusCode.Accepted or HttpStatusCode.Conflict))
            {
                Violate(new Violation(ViolationKinds.ApiError, runId, $"host {run.Cancel.Host} answered {(int)answered} to its cancel: {run.Cancel.Body?.ToJsonString()}"));
            }
        }
    }

    /// <summary>Commits the run's push and delivers it (to <paramref name="host"/>, or the next live host); a 202 names the run it started.</summary>
    private async Task PushAsync(PushSender pushes, SubmittedRun run, TrialHost? host, CancellationToken cancellationToken)
    {
        run.Submission = await pushes.PushAsync(run, host, cancellationToken);
        if (run.Submission.Status == HttpStatusCode.Accepted && StartedRun(run.Submission.Body) is { } runId)
        {
            run.RunId = runId;
        }
        else if (run.Submission.Status is { } status)
        {
            Violate(new Violation(ViolationKinds.ApiError, null,
                $"host {run.Submission.Host} answered {(int)status} to the push of {run.Plan.Name} without starting its run: {run.Submission.Body?.ToJsonString()}"));
        }
    }

    /// <summary>The one run a push delivery's answer says its job started.</summary>
    private static string? StartedRun(JsonNode? answer) =>
        answer?["runs"]?.AsArray() is [{ } started] && started["run_ids"]?.AsArray() is [{ } id] ? (string?)id : null;

    /// <summary>
    /// The kill at its moment; the push aimed at it (if planned) is delivered to the victim
    /// <see cref="KillPlan.PushLead"/> before, so its handling dies at some stage (or has just ended).
    /// </summary>
    private async Task KillAsync(TrialHosts hosts, PushSender pushes, CancellationToken cancellationToken)
    {
        await UntilAsync(plan.Kill.At - (plan.Kill.PushLead ?? TimeSpan.Zero), cancellationToken);
        var victim = hosts.Victim(plan.Kill, Marker);
        var aimed = _runs.FirstOrDefault(r => r.Plan.Trigger == RunTrigger.PushAtKill);
        var delivered = aimed is null ? Task.CompletedTask : PushAsync(pushes, aimed, victim, cancellationToken);
        await UntilAsync(plan.Kill.At, cancellationToken);
        var kill = await TrialHosts.KillAsync(victim, Marker, _workload.Elapsed.TotalSeconds);
        _kill = kill;
        await delivered;
        var push = aimed is null ? "" : string.Create(CultureInfo.InvariantCulture,
            $"; the push sent to it {plan.Kill.PushLead?.TotalSeconds:0.00} s before: {aimed.Submission?.Outcome}");
        await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"trial {plan.Index}: killed {kill.Victim} at {kill.AtSeconds:0.0} s with {kill.Steps.Count} step processes{push}"));
        await Task.WhenAll(RestartAsync(hosts, kill, victim, cancellationToken), RedeliverAsync(pushes, aimed, cancellationToken));
    }

    private async Task RestartAsync(TrialHosts hosts, HostKill kill, TrialHost victim, CancellationToken cancellationToken)
    {
        if (plan.Kill.RestartAfter is { } after)
        {
            await Task.Delay(after, cancellationToken);
            var replacement = await hosts.StartAsync(victim.Name + "r", victim.Roles);
            _kill = kill with { Replacement = replacement.Name, ReplacementHealthySeconds = Math.Round(_workload.Elapsed.TotalSeconds, 2) };
        }
    }

    /// <summary>
    /// The push aimed at the kill, delivered again if it got no answer: its answer then is the recorded one, or
    /// a new handling's (nobody had claimed it, or its claim was stale or failed), or "in progress" (the claim is
    /// not stale yet: the takeover runs it).
    /// </summary>
    private async Task RedeliverAsync(PushSender pushes, SubmittedRun? aimed, CancellationToken cancellationToken)
    {
        if (aimed is not { Submission.Status: null } || plan.Kill.RedeliverAfter is not { } after)
        {
            return;
        }

        await Task.Delay(after, cancellationToken);
        aimed.Redelivery = await pushes.RedeliverAsync(aimed, cancellationToken);
        if (aimed.Redelivery.Status == HttpStatusCode.Accepted && StartedRun(aimed.Redelivery.Body) is { } runId)
        {
            aimed.RunId ??= runId;
        }
        else if (aimed.Redelivery.Status is { } status && (status != HttpStatusCode.Accepted || (string?)aimed.Redelivery.Body?["status"] != "in_progress"))
        {
            Violate(new Violation(ViolationKinds.ApiError, null,
                $"host {aimed.Redelivery.Host} answered {(int)status} to the redelivery of {aimed.Plan.Name}'s push: {aimed.Redelivery.Body?.ToJsonString()}"));
        }
    }

    /// <summary>Records violations; the runs' tasks find theirs concurrently.</summary>
    private void Violate(params Violation[] violations)
    {
        lock (_gate)
        {
            _violations.AddRange(violations);
        }
    }

    private Task UntilAsync(TimeSpan at, CancellationToken cancellationToken) =>
        at > _workload.Elapsed ? Task.Delay(at - _workload.Elapsed, cancellationToken) : Task.CompletedTask;
}
