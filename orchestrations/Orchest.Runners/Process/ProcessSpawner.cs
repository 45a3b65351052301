using System.Collections.Concurrent;
using System.Diagnostics;

namespace Orchest.Runners.Process;

/// <summary>
/// Starts step processes from one thread that lives as long as this process. Bubblewrap's
/// <c>--die-with-parent</c> (PR_SET_PDEATHSIG) fires when the <em>thread</em> that forked it ends, not
/// the process, and thread-pool threads come and go: a step started from one would be killed at a
/// random moment. From this thread, a sandbox dies exactly when this process does (even by SIGKILL).
/// </summary>
internal static class ProcessSpawner
{
    private static readonly BlockingCollection<(System.Diagnostics.Process Process, TaskCompletionSource Started)> Requests = [];

    static ProcessSpawner()
    {
        new Thread(Serve) { IsBackground = true, Name = "orchest step spawner" }.Start();
    }

    /// <summary>Starts <paramref name="process"/> (its StartInfo set) on the spawner thread.</summary>
    public static Task StartAsync(System.Diagnostics.Process process)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((process, started));
        return started.Task;
    }

    private static void Serve()
    {
        foreach (var (process, started) in Requests.GetConsumingEnumerable())
        {
            try
            {
                process.Start();
                started.SetResult();
            }
            catch (Exception ex)
            {
                started.SetException(ex);
            }
        }
    }
}
