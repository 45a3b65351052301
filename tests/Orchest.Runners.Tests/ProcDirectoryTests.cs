using System.Diagnostics;
using System.Text;
using Orchest.Runners.Process;

namespace Orchest.Runners.Tests;

/// <summary>Reading the process table: the stat line's fields, and looking only at processes started since a moment.</summary>
public sealed class ProcDirectoryTests
{
    [Fact]
    public void ParseStat_CommWithSpacesAndParentheses_ReadsTheFieldsAfterTheLastParenthesis()
    {
        var line = "4242 (a (weird) name) S 17 4242 4200 0 -1 4194560 120 0 0 0 1 2 0 0 20 0 1 0 987654 1000 100 18446744073709551615\n";

        var entry = ProcDirectory.ParseStat(4242, Encoding.ASCII.GetBytes(line));

        Assert.Equal(new ProcessEntry(4242, 17, 4242, 4200, 'S', 987654), entry);
    }

    [Theory]
    [InlineData("4242 (no parenthesis closes")]
    [InlineData("4242 (short) S 17 4242")]
    [InlineData("4242 (bad) S x 4242 4200 0 -1 4194560 120 0 0 0 1 2 0 0 20 0 1 0 987654")]
    public void ParseStat_ATruncatedOrGarbledLine_IsNoEntry(string line) =>
        Assert.Null(ProcDirectory.ParseStat(4242, Encoding.ASCII.GetBytes(line)));

    [Fact]
    public async Task Snapshot_SinceAMoment_HasAProcessStartedAfterItAndNotThisOlderOne()
    {
        Assert.True(ProcDirectory.Exists, "the process runner needs Linux's /proc");
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        await WaitForClockTickAsync(self.StartTime);
        var since = ProcDirectory.TicksSinceBoot();
        using var sleeper = System.Diagnostics.Process.Start(new ProcessStartInfo("sleep", "30"))!;
        try
        {
            var all = ProcDirectory.Snapshot();
            var recent = ProcDirectory.Snapshot(since);

            Assert.Contains(all, e => e.Pid == Environment.ProcessId);
            Assert.Contains(recent, e => e.Pid == sleeper.Id && e.ParentPid == Environment.ProcessId && e.StartTime >= since);
            Assert.DoesNotContain(recent, e => e.Pid == Environment.ProcessId);
            Assert.Equal(ProcDirectory.ReadPidNamespace(Environment.ProcessId), ProcDirectory.OwnPidNamespace);
        }
        finally
        {
            sleeper.Kill();
            await sleeper.WaitForExitAsync();
        }
    }

    /// <summary>This process must have started at least two clock ticks (20 ms) before the moment the test takes.</summary>
    private static async Task WaitForClockTickAsync(DateTime started)
    {
        var wait = started.AddMilliseconds(50) - DateTime.Now;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
    }
}
