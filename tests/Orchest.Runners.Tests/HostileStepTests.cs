using Orchest.Runners.Process;
using Orchest.Testing;
using Xunit.Abstractions;

namespace Orchest.Runners.Tests;

/// <summary>
/// Issue 10: whatever a step starts, the run ends within the grace period plus a few seconds, its
/// record is right and nothing of it is left, in the bubblewrap sandbox and without one.
/// </summary>
public sealed class HostileStepTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(10);

    public static TheoryData<HostileStep, HostileVariant, ProcessSandbox> Cases()
    {
        var cases = new TheoryData<HostileStep, HostileVariant, ProcessSandbox>();
        foreach (var (step, variant) in HostileRuns.All)
        {
            cases.Add(step, variant, ProcessSandbox.Bubblewrap);
            cases.Add(step, variant, ProcessSandbox.None);
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Run_HostileStep_EndsPromptlyWithARightRecordAndNothingLeft(HostileStep step, HostileVariant variant, ProcessSandbox sandbox)
    {
        var runner = new ProcessStepRunner(new ProcessRunnerOptions { KillGracePeriod = Grace, Sandbox = sandbox, PythonSdkPath = CSharpStepsFixture.PythonSdkPath });

        var result = await HostileRuns.RunAsync(runner, step, variant);
        output.WriteLine(result.ToString());

        result.AssertContained(Grace, Slack);
    }
}
