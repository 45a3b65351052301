using System.Diagnostics;
using Orchest.Engine.Ports;
using Orchest.Pipelines;

namespace Orchest.Runners.Process;

/// <summary>
/// Runs a step as a local process (the embedded default): the interpreter for its file kind, in the
/// step file's folder, with the ORCHEST_* variables, output streamed line by line to the step log.
/// The step runs in its own process group, so stopping it (TERM, then KILL after the grace period)
/// and cleaning up after it reach everything it started.
/// </summary>
public sealed class ProcessStepRunner(ProcessRunnerOptions options) : IStepRunner
{
    private static readonly string? Setsid = Executables.Find("setsid");
    private readonly CSharpStepBuilder _csharp = new(options);

    public string Name => "process";

    public async Task<StepExit> RunAsync(StepLaunch launch, IStepLog log, CancellationToken cancellationToken = default)
    {
        if (await CheckLaunchAsync(launch, log, cancellationToken) is { } refused)
        {
            return refused;
        }

        var command = StepCommand.For(launch, options)!;
        var interpreter = command.ResolveInterpreter()!;
        if (launch.Kind == StepFileKind.CSharp)
        {
            var prepared = await _csharp.PrepareAsync(launch, interpreter, log, cancellationToken);
            if (prepared.Failure is { } failure)
            {
                return failure;
            }

            (command, log) = (prepared.Command!, prepared.Log);
        }

        await StepContextFile.WriteAsync(launch, path => path, cancellationToken);
        Directory.CreateDirectory(Path.GetDirectoryName(launch.ExecutedNotebookPath)!);

        using var process = new System.Diagnostics.Process { StartInfo = BuildStartInfo(launch, interpreter, command) };
        process.Start();
        process.StandardInput.Close();
        var pumps = new[] { PumpAsync(process.StandardOutput, log), PumpAsync(process.StandardError, log) };
        var groupId = Setsid is null ? (int?)null : process.Id;

        Task? stopping = null;
        await using (cancellationToken.Register(() => stopping = StopAsync(process, groupId)))
        {
            await process.WaitForExitAsync(CancellationToken.None);
        }

        // Whatever the step left running in the background goes with it (a pod ends the same way).
        if (groupId is { } group && ProcessGroup.IsAlive(group))
        {
            await StopAsync(process, group);
        }

        if (stopping is not null)
        {
            await stopping;
        }

        await Task.WhenAll(pumps);
        var stopped = cancellationToken.IsCancellationRequested;
        return new StepExit(process.ExitCode, stopped ? "stopped" : null, stopped);
    }

    /// <summary>Refuses launches that cannot work, with the reason in the log (not a crash).</summary>
    private async Task<StepExit?> CheckLaunchAsync(StepLaunch launch, IStepLog log, CancellationToken cancellationToken)
    {
        string? message = null;
        var exitCode = 1;
        var command = StepCommand.For(launch, options);
        if (command is null)
        {
            message = $"Running files with '{Path.GetExtension(launch.StepFile).TrimStart('.')}' extension is not yet supported.";
        }
        else if (!File.Exists(launch.StepFile))
        {
            message = $"Orchest error: could not find file \"{launch.StepFile}\".";
        }
        else if (command.ResolveInterpreter() is null)
        {
            var hint = command.InterpreterSetting == "Python" ? " (orchest run --python PATH)" : "";
            message = $"{command.InterpreterSetting} interpreter \"{command.Interpreter}\" was not found: install it or set Orchest:Runners:Process:{command.InterpreterSetting}{hint}.";
            exitCode = 127;
        }

        if (message is null)
        {
            return null;
        }

        await log.WriteLineAsync(message, cancellationToken);
        return new StepExit(exitCode, message);
    }

    private ProcessStartInfo BuildStartInfo(StepLaunch launch, string interpreter, StepCommand command)
    {
        var start = new ProcessStartInfo
        {
            FileName = Setsid ?? interpreter,
            WorkingDirectory = launch.WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Setsid is not null)
        {
            start.ArgumentList.Add(interpreter);
        }

        foreach (var argument in command.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in command.Environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        foreach (var (name, value) in StepEnvironment.Build(launch, path => path))
        {
            start.Environment[name] = value;
        }

        if (options.PythonSdkPath is { } sdk)
        {
            var existing = start.Environment.TryGetValue("PYTHONPATH", out var p) && !string.IsNullOrEmpty(p) ? Path.PathSeparator + p : "";
            start.Environment["PYTHONPATH"] = sdk + existing;
        }

        start.Environment["PYTHONUNBUFFERED"] = "1";
        return start;
    }

    private async Task StopAsync(System.Diagnostics.Process process, int? groupId)
    {
        if (groupId is { } group)
        {
            ProcessGroup.Signal(group, ProcessGroup.SigTerm);
            var deadline = DateTime.UtcNow + options.KillGracePeriod;
            while (ProcessGroup.IsAlive(group) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(25);
            }

            ProcessGroup.Signal(group, ProcessGroup.SigKill);
            return;
        }

        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private static async Task PumpAsync(StreamReader reader, IStepLog log)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            await log.WriteLineAsync(line);
        }
    }
}
