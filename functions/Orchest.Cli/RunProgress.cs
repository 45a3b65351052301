using System.Collections.Concurrent;
using Orchest.Engine.Execution;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;
using Orchest.Engine.Scheduling;

namespace Orchest.Cli;

/// <summary>
/// Live progress of a run: step transitions with durations and each step's output lines as they
/// come. Colours and symbols when <paramref name="colours"/>, plain lines otherwise.
/// </summary>
internal sealed class RunProgress(TextWriter writer, bool colours, bool showLogs) : IRunObserver
{
    private readonly Lock _gate = new();

    // A runner that cannot start a step (an environment that does not build) writes the reason to
    // the step's log and fails the step with the same text: shown once, not twice in a row.
    private readonly ConcurrentDictionary<string, string> _lastLogLine = new(StringComparer.Ordinal);

    public bool Colours => colours;

    /// <summary>Whether step output was streamed to the console (so the summary need not repeat it).</summary>
    public bool ShowsLogs => showLogs;

    public void OnCommitted(RunTransition transition)
    {
        foreach (var e in transition.Events.Where(e => e.StepUuid is not null))
        {
            var step = transition.ChangedSteps.FirstOrDefault(s => s.Uuid == e.StepUuid)
                ?? transition.Before.GetStep(e.StepUuid!);
            var line = e.Type switch
            {
                RunEventTypes.StepStarted => Format("▶", Ansi.Cyan, "STARTED ", step.Title, e.Attempt > 1 ? $"attempt {e.Attempt}" : null),
                RunEventTypes.StepSucceeded => Format("✔", Ansi.Green, "SUCCESS ", step.Title, Durations.Between(step.Started, step.Finished)),
                RunEventTypes.StepFailed => Format("✘", Ansi.Red, "FAILURE ", step.Title, $"{Durations.Between(step.Started, step.Finished)}: {FailureDetail(step, e.Message)}"),
                RunEventTypes.StepRetrying => Format("↻", Ansi.Yellow, "RETRY   ", step.Title, $"attempt {e.Attempt} after: {e.Message}"),
                RunEventTypes.StepAborted => Format("■", Ansi.Yellow, "ABORTED ", step.Title, e.Message),
                _ => null,
            };
            if (line is not null)
            {
                Write(line);
            }
        }
    }

    public void OnLogLine(StepLogTarget target, string line)
    {
        if (showLogs)
        {
            _lastLogLine[target.StepUuid] = line;
            Write(colours ? $"{Ansi.Dim}{target.StepTitle} │{Ansi.Reset} {line}" : $"[{target.StepTitle}] {line}");
        }
    }

    public void Write(string line)
    {
        lock (_gate)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }

    private string? FailureDetail(StepRecord step, string? message) =>
        message is not null && _lastLogLine.TryGetValue(step.Uuid, out var last) && last == message && step.ExitCode is { } code
            ? $"exit code {code}, reason above"
            : message;

    private string Format(string symbol, string colour, string status, string title, string? detail)
    {
        var suffix = detail is null ? "" : $" ({detail})";
        return colours
            ? $"{colour}{symbol}{Ansi.Reset} {Ansi.Bold}{title}{Ansi.Reset}{Ansi.Dim}{suffix}{Ansi.Reset}"
            : $"{status} {title}{suffix}";
    }
}
