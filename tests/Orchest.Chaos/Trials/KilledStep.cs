using System.Globalization;
using Orchest.Testing;

namespace Orchest.Chaos.Trials;

/// <summary>A step process that was running on a host when the trial killed it (it was killed with it).</summary>
public sealed record KilledStep(string RunId, string StepUuid, int Attempt, int Pid)
{
    public static KilledStep From(ProcessEntry process) => new(
        process.Variable("ORCHEST_RUN_UUID") ?? "?",
        process.Variable("ORCHEST_STEP_UUID") ?? "?",
        int.TryParse(process.Variable("ORCHEST_STEP_ATTEMPT"), CultureInfo.InvariantCulture, out var attempt) ? attempt : 0,
        process.Pid);
}
