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

    [Theory]
    [InlineData(100, 200, 100, true)]
    [InlineData(100, 200, 200, true)]
    [InlineData(100, 200, 99, false)]
    [InlineData(100, 200, 201, false)]
    [InlineData(32000, 400, 32767, true)] // wrapped at pid_max: the window goes round
    [InlineData(32000, 400, 301, true)]
    [InlineData(32000, 400, 401, false)]
    [InlineData(32000, 400, 31999, false)]
    public void PidWindow_Contains_FollowsThePidsHandedOutInOrderAcrossTheWrap(int first, int last, int pid, bool expected) =>
        Assert.Equal(expected, new PidWindow(first, last).Contains(pid));

    [Fact]
    public async Task Snapshot_InAPidWindowFromAStartedProcess_HasItAndItsChildAndNothingOutsideTheWindow()
    {
        Assert.True(ProcDirectory.Exists, "the process runner needs Linux's /proc");
        using var shell = System.Diagnostics.Process.Start(new ProcessStartInfo("sh", ["-c", "sleep 30 & echo $!; wait"]) { RedirectStandardOutput = true })!;
        try
        {
            var child = int.Parse((await shell.StandardOutput.ReadLineAsync())!, System.Globalization.CultureInfo.InvariantCulture);
            var window = PidWindow.Since(shell.Id);

            var table = ProcDirectory.Snapshot(window: window);

            Assert.NotNull(window);
            Assert.Contains(table, e => e.Pid == shell.Id);
            Assert.Contains(table, e => e.Pid == child && e.ParentPid == shell.Id);
            Assert.All(table, e => Assert.True(window.Value.Contains(e.Pid), $"pid {e.Pid} is outside {window}"));
            Assert.True(PidWindow.Trusted > TimeSpan.Zero);
        }
        finally
        {
            shell.Kill(entireProcessTree: true);
            await shell.WaitForExitAsync();
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
