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
    private static readonly BlockingCollection<Action> Requests = [];

    static ProcessSpawner()
    {
        new Thread(Serve) { IsBackground = true, Name = "orchest step spawner" }.Start();
    }

    /// <summary>Starts <paramref name="process"/> (its StartInfo set) on the spawner thread.</summary>
    public static Task StartAsync(System.Diagnostics.Process process) => RunAsync(process.Start);

    /// <summary>Runs <paramref name="start"/> (which starts a process) on the spawner thread.</summary>
    public static Task<T> RunAsync<T>(Func<T> start)
    {
        var started = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add(() =>
        {
            try
            {
                started.SetResult(start());
            }
            catch (Exception ex)
            {
                started.SetException(ex);
            }
        });
        return started.Task;
    }

    private static void Serve()
    {
        foreach (var request in Requests.GetConsumingEnumerable())
        {
            request();
        }
    }
}
