using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orchest.Engine.Ports;
using Orchest.Pipelines;

namespace Orchest.Runners.Process;

/// <summary>
/// Runs a step as a local process (the embedded default): the interpreter for its file kind, in the
/// step file's folder, with the ORCHEST_* variables, output streamed to the step log while it runs.
/// Where bubblewrap works, the step runs in a sandbox of its own (a pid namespace; the data folder at
/// <c>/data</c>; see <see cref="Bubblewrap"/> for why). Either way, when the step's main process
/// exits or the step is stopped, everything the step started is stopped (TERM, KILL after the grace
/// period) and the log is closed within a bounded time.
/// </summary>
public sealed partial class ProcessStepRunner(ProcessRunnerOptions options, ILogger<ProcessStepRunner>? logger = null) : IStepRunner
{
    /// <summary>The variable that marks every process of one step attempt, so they can be found in the process table.</summary>
    public const string MarkerVariable = "ORCHEST_STEP_MARKER";

    private static readonly string? Setsid = Executables.Find("setsid");
    private readonly CSharpStepBuilder _csharp = new(options);
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;
    private int _sandboxNoted;

    public string Name => "process";

    /// <summary>
    /// Null when steps run sandboxed (and see the data folder at <c>/data</c>); otherwise why they do
    /// not, in words a user can act on.
    /// </summary>
    public async Task<string?> SandboxProblemAsync() => options.Sandbox switch
    {
        ProcessSandbox.None => "the sandbox is off (Orchest:Runners:Process:Sandbox=None)",
        _ => await Bubblewrap.ProblemAsync(),
    };

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

        var sandboxed = await UseSandboxAsync();
        if (!sandboxed && options.Sandbox == ProcessSandbox.Bubblewrap)
        {
            var message = $"Orchest:Runners:Process:Sandbox is Bubblewrap, but {await Bubblewrap.ProblemAsync()}.";
            await log.WriteLineAsync(message, cancellationToken);
            return new StepExit(1, message);
        }

        var step = new ProcessStepLaunch(launch, sandboxed);
        Directory.CreateDirectory(launch.DataDirectory);
        await StepContextFile.WriteAsync(launch, step.MapPath, cancellationToken);
        Directory.CreateDirectory(Path.GetDirectoryName(launch.ExecutedNotebookPath)!);

        var marker = $"{launch.RunId}/{launch.StepUuid}/{launch.Attempt}/{Guid.NewGuid():n}";
        var program = Program(step, interpreter, command);
        var environment = StepVariables(step, command, marker);
        // An environment variable of the project or pipeline that names a runtime folder is the user's choice.
        using var kernelRuntime = launch.Kind == StepFileKind.Notebook && !environment.ContainsKey(KernelRuntimeFolder.Variable) ? new KernelRuntimeFolder() : null;
        if (kernelRuntime is not null)
        {
            environment[KernelRuntimeFolder.Variable] = kernelRuntime.Path;
        }

        var (spawningTicks, spawning) = (ProcDirectory.TicksSinceBoot(), System.Diagnostics.Stopwatch.GetTimestamp());
        using var started = await StartAsync(program, launch.WorkingDirectory, environment);
        var processes = new StepProcesses(started.Id, $"{MarkerVariable}={marker}", sandboxed, spawningTicks, spawning);
        return await SuperviseAsync(launch, started, processes, log, cancellationToken);
    }

    /// <summary>
    /// Starts the step's first process in a session of its own, so a Ctrl-C in the terminal reaches the
    /// CLI (which stops the run gracefully), not the step directly: with posix_spawn where it can
    /// (<see cref="SessionSpawn"/>), else through the setsid program (or in this session when there is none).
    /// </summary>
    private static async Task<StartedStep> StartAsync(List<string> program, string workingDirectory, Dictionary<string, string> environment)
    {
        if (SessionSpawn.Usable && await ProcessSpawner.RunAsync(() => SessionSpawn.TryStart(program, workingDirectory, environment)) is { } spawned)
        {
            return new StartedStep(spawned.Id, spawned.StandardOutput, spawned.StandardError, spawned.WaitForExitAsync, null, spawned);
        }

        if (Setsid is not null)
        {
            program.Insert(0, Setsid);
        }

        var start = new ProcessStartInfo
        {
            FileName = program[0],
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in program.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = new System.Diagnostics.Process { StartInfo = start };
        await ProcessSpawner.StartAsync(process);
        process.StandardInput.Close();
        return new StartedStep(
            process.Id,
            process.StandardOutput.BaseStream,
            process.StandardError.BaseStream,
            async () =>
            {
                await process.WaitForExitAsync(CancellationToken.None);
                return process.ExitCode;
            },
            () => process.Kill(entireProcessTree: true),
            process);
    }

    private async Task<bool> UseSandboxAsync()
    {
        if (options.Sandbox == ProcessSandbox.None || (Setsid is null && !SessionSpawn.Usable))
        {
            return false;
        }

        if (await Bubblewrap.ProblemAsync() is not { } problem)
        {
            return true;
        }

        if (options.Sandbox == ProcessSandbox.Auto && Interlocked.Exchange(ref _sandboxNoted, 1) == 0)
        {
            Logs.SandboxUnavailable(_logger, problem);
        }

        return false;
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

    private static List<string> Program(ProcessStepLaunch step, string interpreter, StepCommand command)
    {
        var program = new List<string>();
        if (step.Sandboxed)
        {
            program.Add(Bubblewrap.Executable!);
            program.AddRange(Bubblewrap.Arguments(step.Launch.DataDirectory, step.Launch.WorkingDirectory, step.MountsData));
        }

        program.Add(interpreter);
        program.AddRange(command.Arguments);
        return program;
    }

    /// <summary>The variables the step gets on top of this process's environment.</summary>
    private Dictionary<string, string> StepVariables(ProcessStepLaunch step, StepCommand command, string marker)
    {
        var environment = new Dictionary<string, string>(command.Environment ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (name, value) in StepEnvironment.Build(step.Launch, step.MapPath))
        {
            environment[name] = value;
        }

        if (options.PythonSdkPath is { } sdk)
        {
            var inherited = environment.TryGetValue("PYTHONPATH", out var p) ? p : System.Environment.GetEnvironmentVariable("PYTHONPATH");
            environment["PYTHONPATH"] = sdk + (string.IsNullOrEmpty(inherited) ? "" : Path.PathSeparator + inherited);
        }

        environment["PYTHONUNBUFFERED"] = "1";
        environment[MarkerVariable] = marker;
        return environment;
    }

    /// <summary>A started step process: its pid, output pipes, exit, and how to kill its tree where there is no process table.</summary>
    private sealed record StartedStep(int Id, Stream Output, Stream Error, Func<Task<int>> WaitForExitAsync, Action? KillTree, IDisposable Owner) : IDisposable
    {
        public void Dispose() => Owner.Dispose();
    }
}
