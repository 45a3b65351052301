using Orchest.Chaos.Workloads;
using Orchest.Testing;
using Orchest.Testing.Served;

namespace Orchest.Chaos.Trials;

/// <summary>
/// The <c>orchest serve</c> hosts of one trial on its installation: h1 (api, worker, timers), h2 and h3
/// (api, worker), each with <see cref="Parallelism"/> step slots; the victim of the kill, and the host that
/// may replace it (a new process with a new host id, as a restarted machine would be: a worker id is per process).
/// Git deliveries are signed with <see cref="WebhookSecret"/>; a claim left by a dead handling is taken over after
/// <see cref="TakeOverAfter"/> (housekeeping rounds every 2 s), not the 2 minutes of the default.
/// </summary>
public sealed class TrialHosts(TestInstallation installation, string root, IReadOnlyList<string> settings) : IAsyncDisposable
{
    /// <summary>Steps per host at once: small, because 2-3 hosts share the machine with Azurite and other work.</summary>
    public const int Parallelism = 4;

    /// <summary>The name a trial's project gives its webhook secret (<c>Orchest:WebhookSecrets:chaos</c>).</summary>
    public const string WebhookSecretName = "chaos";

    public static readonly TimeSpan TakeOverAfter = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly List<TrialHost> _hosts = [];

    public IReadOnlyList<TrialHost> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _hosts];
            }
        }
    }

    public IReadOnlyList<TrialHost> Live => [.. All.Where(h => h.Live)];

    /// <summary>The secret the trial's git deliveries are signed with (one per trial).</summary>
    public string WebhookSecret { get; } = Guid.NewGuid().ToString("n");

    public async Task StartAsync(int count) =>
        await Task.WhenAll(Enumerable.Range(1, count).Select(i => StartAsync($"h{i}", i == 1 ? "api,worker,timers" : "api,worker")));

    public async Task<TrialHost> StartAsync(string name, string roles)
    {
        var folder = Path.Combine(root, name);
        // Timestamped log lines: the evidence of a violation is read against event times and the kill's.
        var process = await installation.StartHostAsync(
            name, roles, folder,
            [
                $"--Orchest:Engine:HostParallelism={Parallelism}", "--Logging:Console:TimestampFormat=HH:mm:ss.fff ",
                $"--Orchest:WebhookSecrets:{WebhookSecretName}={WebhookSecret}", $"--Orchest:GitHooks:TakeOverAfter={TakeOverAfter:c}",
                "--Orchest:Jobs:OrphanCheckInterval=00:00:02", "--Orchest:Jobs:HistoryShown=1000",
                // What the projection entity saw and did with each progress: the evidence of a projection violation.
                "--Logging:LogLevel:Orchest.Durable.RunProjectionEntity=Debug",
                .. settings.Select(s => "--" + s),
            ]);
        var host = new TrialHost(name, roles, folder, process, installation.ApiKey);
        lock (_gate)
        {
            _hosts.Add(host);
        }

        return host;
    }

    /// <summary>The planned victim (see <see cref="KillPlan"/>): with <see cref="KillPlan.PreferBusy"/>, among the hosts running the trial's steps now.</summary>
    public TrialHost Victim(KillPlan plan, string marker)
    {
        var steps = ProcessTable.FindByEnvironment(Trial.MarkerVariable, marker);
        var busy = Live.Where(h => steps.Any(h.Runs)).ToList();
        return plan.PreferBusy && busy.Count > 0 ? busy[plan.Victim % busy.Count] : All[plan.Victim];
    }

    /// <summary>
    /// SIGKILL of the <paramref name="victim"/>, then of the step processes it ran (found by the trial's
    /// <paramref name="marker"/> and their folders, while it was frozen with SIGSTOP): in their own process
    /// groups they would outlive it, which a machine losing power does not allow.
    /// </summary>
    public static async Task<HostKill> KillAsync(TrialHost victim, string marker, double atSeconds)
    {
        victim.Killed = true;

        // The victim is frozen first, then its steps are listed, then it dies: a step listed here cannot
        // have reported (its host could not send anything since), and a look after the kill would find
        // none of them (sandboxed steps die with their host: bubblewrap's --die-with-parent).
        await OrchestServeProcess.SignalAsync(victim.Process.Pid, "STOP");
        var killed = ProcessTable.FindByEnvironment(Trial.MarkerVariable, marker).Where(victim.Runs).ToList();
        var time = DateTimeOffset.UtcNow;
        await victim.Process.KillAsync();
        foreach (var group in killed.Select(s => s.ProcessGroup).Where(g => g > 1).Distinct())
        {
            await OrchestServeProcess.SignalAsync(-group, "KILL");
        }

        return new HostKill(victim.Name, time, atSeconds, [.. killed.Select(KilledStep.From)]);
    }

    /// <summary>Every host's name, pid, exit and output (evidence of a trial with violations).</summary>
    public string Describe() => string.Join("\n", All.Select(h => h.Process.ToString()));

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(All.Select(h => h.DisposeAsync().AsTask()));
    }
}
