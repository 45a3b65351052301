using System.Text.Json.Nodes;
using Orchest.Testing;

namespace Orchest.Chaos.Trials;

/// <summary>
/// Pushes a pushed run's commit to the trial's repository (one at a time: each commit follows the last) and
/// delivers it as GitHub would, from the commit before to the new one; the commit changes only the run's
/// own file, so only its job starts.
/// </summary>
public sealed class PushSender(ChaosApi api, GitOrigin origin, string project, string secret)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, JsonObject> _sent = new(StringComparer.Ordinal);

    public Task<ApiAnswer> PushAsync(SubmittedRun run, TrialHost? host, CancellationToken cancellationToken)
    {
        string before, after;
        lock (_gate)
        {
            before = origin.Git("rev-parse", "HEAD");
            origin.Write(run.Plan.PushedFile, run.Plan.Name + "\n");
            after = origin.Commit("push " + run.Plan.Name);
        }

        run.DeliveryId = Guid.NewGuid().ToString();
        run.PushedCommit = after;
        var push = new JsonObject { ["ref"] = "refs/heads/main", ["before"] = before, ["after"] = after };
        lock (_gate)
        {
            _sent[run.DeliveryId] = push;
        }

        return api.DeliverPushAsync(project, run.DeliveryId, push, secret, host, cancellationToken);
    }

    /// <summary>The run's push delivered again, same id and body (GitHub's "Redeliver"), to the next live host.</summary>
    public Task<ApiAnswer> RedeliverAsync(SubmittedRun run, CancellationToken cancellationToken)
    {
        JsonObject push;
        lock (_gate)
        {
            push = _sent[run.DeliveryId ?? throw new InvalidOperationException($"{run.Plan.Name} was never pushed.")];
        }

        return api.DeliverPushAsync(project, run.DeliveryId, push, secret, null, cancellationToken);
    }
}
