using System.Diagnostics;
using Orchest.Runners.Process;

namespace Orchest.Runners.Tests;

/// <summary>
/// Kernel runtime folders left by a host that was killed: the next host's first folder sweeps those whose
/// maker is gone, by pid and start time, and leaves every other folder alone.
/// </summary>
public sealed class KernelRuntimeFolderTests : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("orchest-sweep-test-");

    [Fact]
    public async Task SweepOrphans_FoldersOfGoneProcesses_AreDeleted_LiveOnesAndTheRunnersOwnStay()
    {
        Assert.True(ProcDirectory.Exists, "the process runner needs Linux's /proc");
        var self = KernelRuntimeFolder.Owner(Environment.ProcessId)!;
        string gone;
        using (var sleeper = System.Diagnostics.Process.Start(new ProcessStartInfo("sleep", "30"))!)
        {
            gone = KernelRuntimeFolder.Owner(sleeper.Id)!;
            sleeper.Kill();
            await sleeper.WaitForExitAsync();
        }

        var pid = Environment.ProcessId;
        var live = Make($"orchest-kernel-h{self}-live01", withConnectionFile: true);
        var dead = Make($"orchest-kernel-h{gone}-dead01", withConnectionFile: true);
        var reused = Make($"orchest-kernel-h{pid}.1-reused", withConnectionFile: false);
        var runnersOwn = Make("orchest-kernel-hab1x2y3", withConnectionFile: true);
        var other = Make("unrelated-h1.1-folder", withConnectionFile: false);

        Assert.Equal(2, KernelRuntimeFolder.SweepOrphans(_temp.FullName));

        Assert.False(Directory.Exists(dead), "the folder of a process that is gone stays");
        Assert.False(Directory.Exists(reused), "a folder whose pid now belongs to a process started later stays");
        Assert.True(Directory.Exists(live) && Directory.Exists(runnersOwn) && Directory.Exists(other));
        Assert.Equal(0, KernelRuntimeFolder.SweepOrphans(_temp.FullName));
    }

    [Fact]
    public void NewFolder_IsNamedAfterThisProcess_AndGoesWhenDisposed()
    {
        string path;
        using (var folder = new KernelRuntimeFolder())
        {
            path = folder.Path;
            Assert.StartsWith($"orchest-kernel-h{KernelRuntimeFolder.Owner(Environment.ProcessId)}-", Path.GetFileName(path), StringComparison.Ordinal);
            Assert.True(Directory.Exists(path));
        }

        Assert.False(Directory.Exists(path));
    }

    public void Dispose() => _temp.Delete(recursive: true);

    private string Make(string name, bool withConnectionFile)
    {
        var path = Directory.CreateDirectory(Path.Combine(_temp.FullName, name)).FullName;
        if (withConnectionFile)
        {
            File.WriteAllText(Path.Combine(path, "kernel-1.json"), "{}");
        }

        return path;
    }
}
