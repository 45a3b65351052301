using Orchest.Engine.Ports;
using Orchest.Runners.Output;

namespace Orchest.Runners.Process;

/// <summary>A started step, to its end: output to the log, the stop on cancel, nothing left behind.</summary>
public sealed partial class ProcessStepRunner
{
    private async Task<StepExit> SuperviseAsync(
        StepLaunch launch, StartedStep process, StepProcesses processes, IStepLog log, CancellationToken cancellationToken)
    {
        using var abandon = new CancellationTokenSource();
        var pump = new StepOutputPump(log);
        var output = Task.WhenAll(
            pump.RunAsync(process.Output, cancellationToken: abandon.Token),
            pump.RunAsync(process.Error, cancellationToken: abandon.Token));

        var gate = new Lock();
        Task? stopping = null;
        Task Stop()
        {
            lock (gate)
            {
                return stopping ??= StopAsync(launch, process, processes);
            }
        }

        // Off the cancelling thread: finding the processes reads the process table.
        int exitCode;
        await using (cancellationToken.Register(() => Task.Run(Stop)))
        {
            exitCode = await process.WaitForExitAsync();
        }

        // Whatever the step left running goes with it (a pod or a container ends the same way): daemons,
        // setsid children, a kernel still starting. The same stop when the step was cancelled. A sandboxed
        // step needs no look: its first process (bubblewrap) ends only after its pid namespace's init has,
        // and the kernel empties a namespace (kills and reaps every process in it) before its init's exit
        // is reported; no process can leave a pid namespace.
        if (!processes.Sandboxed || cancellationToken.IsCancellationRequested)
        {
            await Stop();
        }

        // Every process of the step is gone, so the pipes are at their end, unless a process outside
        // the step holds them (one that escaped an unsandboxed step): that must not keep the step open.
        if (await Task.WhenAny(output, Task.Delay(options.OutputDrainTimeout, CancellationToken.None)) != output)
        {
            Logs.OutputAbandoned(_logger, launch.RunId, launch.StepUuid, launch.Attempt);
            await abandon.CancelAsync();
        }

        await output;
        var stopped = cancellationToken.IsCancellationRequested;
        return new StepExit(exitCode, stopped ? "stopped" : null, stopped);
    }

    private async Task StopAsync(StepLaunch launch, StartedStep process, StepProcesses processes)
    {
        Logs.StoppingProcesses(_logger, launch.RunId, launch.StepUuid, launch.Attempt);
        if (ProcDirectory.Exists)
        {
            await processes.StopAsync(options.KillGracePeriod);
            return;
        }

        // No process table to read (not Linux): the tree as .NET sees it.
        try
        {
            process.KillTree?.Invoke();
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
