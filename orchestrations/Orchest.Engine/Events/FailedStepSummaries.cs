using Orchest.Engine.Ports;
using Orchest.Engine.Runs;

namespace Orchest.Engine.Events;

/// <summary>
/// The failed steps of a failed run, with the last lines of their logs, environment values masked. Read
/// once per failed run (the run-failed event), never on a step's path.
/// </summary>
public sealed class FailedStepSummaries(IStepLogTails logs, IRunDefinitions definitions)
{
    /// <summary>Steps listed at most (the rest are in the run resource).</summary>
    public const int MaxSteps = 10;

    public const int TailBytes = 4096;
    public const int TailLines = 20;

    public async Task<IReadOnlyList<FailedStep>> ReadAsync(RunSnapshot run, CancellationToken cancellationToken = default)
    {
        var failed = run.Steps.Where(s => s.Status == ExecutionStatus.Failure).Take(MaxSteps).ToList();
        if (failed.Count == 0)
        {
            return [];
        }

        var mask = await MaskAsync(run.Run.Id, cancellationToken);
        var tails = mask is null
            ? new string?[failed.Count]
            : await Task.WhenAll(failed.Select(s => logs.ReadTailAsync(run.Run.Id, s.Uuid, TailBytes, cancellationToken)));
        mask ??= SecretMask.None;
        return failed
            .Select((s, i) => new FailedStep(s.Uuid, s.Title, s.Attempt, s.ExitCode, mask.Apply(s.Message), mask.Apply(LastLines(tails[i]))))
            .ToList();
    }

    /// <summary>The last <see cref="TailLines"/> complete lines (a tail cut mid-line starts at the next line).</summary>
    public static string? LastLines(string? tail)
    {
        if (string.IsNullOrEmpty(tail))
        {
            return null;
        }

        var lines = tail.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
        var skip = tail.Length >= TailBytes && lines.Length > 1 ? 1 : 0;
        return string.Join('\n', lines.Skip(skip).TakeLast(TailLines));
    }

    /// <summary>
    /// The run's environment values to mask; null when they cannot be read (the secrets key changed): then no
    /// log tail is shown at all, since what it would leak cannot be checked.
    /// </summary>
    private async Task<SecretMask?> MaskAsync(string runId, CancellationToken cancellationToken)
    {
        try
        {
            var definition = await definitions.ReadAsync(runId, cancellationToken);
            return new SecretMask(definition?.EnvironmentVariables.Values ?? []);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return null;
        }
    }
}
