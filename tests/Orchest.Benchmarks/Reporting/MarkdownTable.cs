using System.Text;
using Orchest.Benchmarks.Contenders;
using Orchest.Benchmarks.Measuring;

namespace Orchest.Benchmarks.Reporting;

/// <summary>
/// The results as a markdown table (wall times in seconds over the repetitions; ratios are median over
/// median), followed by notes: what each contender is, orchest's run-record breakdown, caps and errors.
/// </summary>
public static class MarkdownTable
{
    private const string Header =
        "| scenario | contender | n | median s | min s | max s | overhead/step vs raw ms | gap/step ms | × make | × snakemake | × raw |\n" +
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";

    public static string Render(BenchmarkReport report)
    {
        var text = new StringBuilder();
        text.Append("Orchest.Functions benchmark: ").Append(report.Machine).Append("; parallelism ").Append(report.Parallelism)
            .Append("; sizes ").Append(report.Sizes).Append("; ").Append(report.Repetitions).Append(" repetitions")
            .Append(report.Smoke ? " (smoke)" : "").Append("; load average ").Append(report.LoadAtStart ?? "?").Append(" at start, ")
            .Append(report.LoadAtEnd ?? "?").Append(" at end\n\n").Append(Header);
        foreach (var scenario in report.Scenarios)
        {
            var name = scenario.Steps > 0 ? $"{scenario.Scenario} ({scenario.Steps} step{(scenario.Steps == 1 ? "" : "s")})" : scenario.Scenario;
            if (scenario.Unavailable is not null)
            {
                text.Append("| ").Append(name).Append(" | — | n/a (").Append(scenario.Unavailable).Append(") | | | | | | | | |\n");
                continue;
            }

            foreach (var contender in scenario.Contenders)
            {
                text.Append("| ").Append(name).Append(" | ").Append(contender.Contender).Append(" | ");
                if (contender.Unavailable is not null || contender.Wall is null)
                {
                    var why = contender.Unavailable ?? "failed, see notes";
                    text.Append("n/a (").Append(why).Append(") | | | | | | | | |\n");
                    continue;
                }

                var wall = contender.Wall;
                var gap = scenario.IsChain && contender.Gap is { } g ? g.Median * 1000 / scenario.Steps : (double?)null;
                text.Append(contender.Samples.Count).Append(" | ")
                    .Append(Format.Seconds(wall.Median)).Append(" | ").Append(Format.Seconds(wall.Min)).Append(" | ").Append(Format.Seconds(wall.Max)).Append(" | ")
                    .Append(Format.Milliseconds(scenario.OverheadPerStepMs(contender))).Append(" | ")
                    .Append(Format.Milliseconds(gap)).Append(" | ")
                    .Append(Format.Ratio(scenario.Ratio(contender, ContenderNames.Make))).Append(" | ")
                    .Append(Format.Ratio(scenario.Ratio(contender, ContenderNames.Snakemake))).Append(" | ")
                    .Append(Format.Ratio(scenario.Ratio(contender, scenario.RawBaseline))).Append(" |\n");
            }
        }

        AppendNotes(report, text);
        return text.ToString();
    }

    private static void AppendNotes(BenchmarkReport report, StringBuilder text)
    {
        text.Append("\nColumns: wall time of the whole run (trigger: time from asking for the run to the first step's process running, ")
            .Append("read from a wall-clock stamp the step writes as its first action); raw = the scenario's raw bound (raw-bash; raw-podman for ")
            .Append("container scenarios); overhead/step = (median − raw median) / steps; ")
            .Append("gap/step (chains only) = median of (wall − Σ step run time from the run record) / steps; ")
            .Append("× = median / that contender's median.\n\nContenders:\n");
        foreach (var (name, description) in report.ContenderDescriptions)
        {
            text.Append("- ").Append(name).Append(": ").Append(description).Append('\n');
        }

        text.Append('\n');
        foreach (var scenario in report.Scenarios)
        {
            foreach (var contender in scenario.Contenders)
            {
                if (contender.StepRecorded is { } recorded && contender.Wall is { } running)
                {
                    text.Append("- ").Append(scenario.Scenario).Append(' ').Append(contender.Contender)
                        .Append(": to the step's `started` in the run record median ").Append(Format.Seconds(recorded.Median))
                        .Append(" s (min ").Append(Format.Seconds(recorded.Min)).Append(", max ").Append(Format.Seconds(recorded.Max))
                        .Append("); to its process running median ").Append(Format.Seconds(running.Median)).Append(" s\n");
                }

                if (contender.PeakMemory is { } peak && contender.Wall is { } timed)
                {
                    text.Append("- ").Append(scenario.Scenario).Append(' ').Append(contender.Contender)
                        .Append(": peak RSS (the CLI process, not its steps) median ").Append(Format.Megabytes(peak))
                        .Append(" MB, wall median ").Append(Format.Seconds(timed.Median)).Append(" s\n");
                }

                if (contender.EngineWall is { } engine && contender.Wall is { } wall && contender.StepTime is { } steps)
                {
                    text.Append("- ").Append(scenario.Scenario).Append(' ').Append(contender.Contender)
                        .Append(": run record wall (started→finished) median ").Append(Format.Seconds(engine.Median))
                        .Append(" s, so outside the run record ").Append(Format.Seconds(wall.Median - engine.Median))
                        .Append(contender.Contender.StartsWith(ContenderNames.OrchestServed, StringComparison.Ordinal) ? " s (POST to the run's start)" : " s (start-up and exit)")
                        .Append("; Σ step run time median ").Append(Format.Seconds(steps.Median)).Append(" s");
                    if (scenario.IsChain)
                    {
                        text.Append("; (record wall − Σ step) / steps = ").Append(Format.Milliseconds((engine.Median - steps.Median) * 1000 / scenario.Steps)).Append(" ms");
                    }

                    var conflicts = contender.Samples.Where(s => s.Conflicts is not null).Select(s => s.Conflicts!.Value).Order().ToList();
                    if (conflicts.Count > 0)
                    {
                        text.Append("; transition conflicts retried per run median ").Append(conflicts[conflicts.Count / 2]);
                    }

                    text.Append('\n');
                }

                if (contender.Timeline is { } timeline)
                {
                    AppendTimeline(text, scenario, contender, timeline);
                }

                if (contender.Cpu is { } cpu)
                {
                    AppendCpu(text, scenario, contender, cpu);
                }

                if (contender.Capped is not null)
                {
                    text.Append("- ").Append(scenario.Scenario).Append(' ').Append(contender.Contender).Append(": ").Append(contender.Capped).Append('\n');
                }

                if (contender.Error is not null)
                {
                    text.Append("- ").Append(scenario.Scenario).Append(' ').Append(contender.Contender).Append(" FAILED: ").Append(contender.Error).Append('\n');
                }
            }
        }

        foreach (var note in report.Notes)
        {
            text.Append("- ").Append(note).Append('\n');
        }
    }

    /// <summary>What a step cost the machine in CPU time, by part (<see cref="CpuUse"/>).</summary>
    private static void AppendCpu(StringBuilder text, ScenarioResult scenario, ContenderResult contender, CpuUse cpu)
    {
        double PerStep(TimeSpan time) => time.TotalMilliseconds / scenario.Steps;
        text.Append("- ").Append(scenario.Scenario).Append(' ').Append(contender.Contender)
            .Append(": CPU per step (medians, ").Append(Environment.ProcessorCount).Append(" cores): Azurite ").Append(Format.Milliseconds(PerStep(cpu.Storage)))
            .Append(" ms, engine process ").Append(Format.Milliseconds(PerStep(cpu.Engine)))
            .Append(" ms, steps' processes ").Append(Format.Milliseconds(PerStep(cpu.Steps)))
            .Append(" ms; total ").Append(Format.Milliseconds(PerStep(cpu.Total))).Append(" ms\n");
    }

    /// <summary>Where a served run's per-step time goes, from its run record (figures defined in <see cref="StepTimeline"/>).</summary>
    private static void AppendTimeline(StringBuilder text, ScenarioResult scenario, ContenderResult contender, StepTimeline timeline)
    {
        text.Append("- ").Append(scenario.Scenario).Append(' ').Append(contender.Contender)
            .Append(": where the time goes (run record, medians): step execution ").Append(Format.Milliseconds(timeline.StepExecution.TotalMilliseconds))
            .Append(" ms; parent finished → child started ").Append(Format.Milliseconds(timeline.Handoff?.TotalMilliseconds))
            .Append(" ms; run started → first step started ").Append(Format.Milliseconds(timeline.FirstStep.TotalMilliseconds))
            .Append(" ms; last step finished → run finished ").Append(Format.Milliseconds(timeline.RunEnd.TotalMilliseconds)).Append(" ms");
        if (timeline.DispatchRate is { } rate)
        {
            text.Append("; widest level (").Append(timeline.WidestLevel).Append(" steps): ").Append(Format.Rate(rate)).Append(" steps started/s, ")
                .Append(Format.Rate(timeline.Concurrency ?? 0)).Append(" running on average");
        }

        text.Append('\n');
    }
}
