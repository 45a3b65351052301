using System.CommandLine;
using System.Text.Json.Nodes;
using Orchest.Engine.Ports;
using Orchest.Engine.Projects;
using Orchest.Engine.Runs;
using Orchest.Pipelines;
using Orchest.Runners.Docker;
using Orchest.Runners.Docker.Services;
using Orchest.Runners.Process;

namespace Orchest.Cli;

/// <summary><c>orchest run</c>: runs a pipeline on this machine (embedded mode) and waits for it to end.</summary>
internal sealed class RunCommand : IOrchestCommand
{
    private readonly ProjectOptions _project = new();
    private readonly Option<string> _runType = new("--run-type") { HelpName = "full|selection|incoming", Description = "Orchest's run types: selection runs the --steps with only the edges between them; incoming runs their strict ancestors (not the steps themselves).", DefaultValueFactory = _ => "full" };
    private readonly Option<string[]> _steps = new("--steps") { HelpName = "step,...", Description = "Steps for selection and incoming runs, by uuid or title, comma-separated or repeated." };
    private readonly Option<string[]> _params = new("--param") { HelpName = "key=value", Description = "Pipeline parameter, merged over the file's; the value is JSON when it parses (n=3, flag=true, name='\"x\"'), else a string. Repeatable." };
    private readonly Option<string[]> _stepParams = new("--step-param") { HelpName = "step:key=value", Description = "Step parameter, the step by uuid or title; values as for --param. Repeatable." };
    private readonly Option<string[]> _env = new("--env") { HelpName = "NAME=VALUE", Description = "Environment variable for every step (values are never printed or stored in run records). Repeatable." };
    private readonly Option<int?> _parallelism = new("--parallelism") { HelpName = "n", Description = "Most steps running at once on this machine (0 = unbounded; default 4 x cores); settings.max_steps_parallelism limits each run too." };
    private readonly Option<bool> _json = new("--json") { Description = "Print the final run record as JSON on stdout (progress goes to stderr)." };
    private readonly Option<bool> _quiet = new("--quiet", "-q") { Description = "Do not stream step output (logs are still written; a failed step's last lines are printed at the end)." };
    private readonly Option<string?> _dataDir = new("--data-dir") { HelpName = "dir", Description = "The shared data folder (Orchest's /data), given to steps as ORCHEST_DATA_DIR; default ORCHEST_DATA_DIR, else <project>/.orchest/data." };
    private readonly Option<string> _sandbox = new("--sandbox") { HelpName = "auto|bubblewrap|none", Description = "How process steps are contained: bubblewrap runs each in a sandbox (data folder at /data, nothing outlives the step); auto uses it when it works here.", DefaultValueFactory = _ => "auto" };
    private readonly Option<string?> _python = new("--python") { HelpName = "path", Description = "Python for .py and .ipynb steps (default /usr/bin/python3, else python3 on PATH)." };
    private readonly Option<string> _runner = new("--runner") { HelpName = "process|docker", Description = "process: steps as local processes; docker: a container per step, environments built as images.", DefaultValueFactory = _ => "process" };
    private readonly Option<string?> _grid = new("--grid") { HelpName = "file", Description = "A parameter grid, JSON {\"pipeline_parameters\": {\"p\": [values...]}, \"<step>\": {\"q\": [...]}}: one run per combination (first key varying slowest), all at once sharing --parallelism; prints a table of the sets and outcomes. Each combination replaces only the parameters it names." };
    private readonly Option<string?> _paramsFile = new("--params-file") { HelpName = "file", Description = "Orchest's job parameters, JSON [{\"pipeline_parameters\": {...}, \"<step>\": {...}}, ...]: one run per set, as --grid; each set replaces the pipeline's parameters and those of the steps it names." };
    private readonly Option<string?> _dockerHost = new("--docker-host") { HelpName = "url", Description = "Docker Engine API for --runner docker (unix:///path.sock or tcp://host:port); default DOCKER_HOST." };

    public RunCommand()
    {
        Command = new Command("run", "Run a pipeline on this machine and wait for it to finish.");
        _project.AddTo(Command);
        foreach (var option in new Option[] { _runType, _steps, _params, _stepParams, _env, _grid, _paramsFile, _parallelism, _json, _quiet, _dataDir, _sandbox, _python, _runner, _dockerHost })
        {
            Command.Add(option);
        }
    }

    public Command Command { get; }

    public IReadOnlyList<HelpSection> Help { get; } =
    [
        HelpSection.Examples(
            "orchest run samples/quickstart",
            "orchest run . --pipeline etl.orchest --param n=3 --step-param \"Load data:limit=100\"",
            "orchest run . --run-type selection --steps \"Train,Report\"",
            "orchest run . --grid grid.json --parallelism 8   one run per combination of grid.json's values",
            "orchest run . --runner docker          each step in a container (needs a Docker Engine API)"),
        new("What a run writes (under <project>/.orchest/, git-ignored)", [
            "pipelines/<pipeline>/logs/<step>.log     the step's output, streamed while it runs (orchest logs)",
            "pipelines/<pipeline>/logs/<step>.ipynb   an executed notebook, with its outputs",
            "pipelines/<pipeline>/data/<step>/        the step's outputs (orchest.output)",
            "runs/<run>/run.json                      the run record, as --json prints it (orchest runs)",
        ]),
        HelpSection.ExitCodes(
            "0\tthe run succeeded",
            "1\tthe run ended FAILURE or ABORTED (Ctrl-C or SIGTERM cancels it: steps get TERM, then KILL)",
            "2\tinvalid input (arguments, pipeline file, unknown steps); nothing was run or written"),
        HelpSection.Environment("DOCKER_HOST\tthe Docker Engine API for --runner docker"),
    ];

    public async Task<int> ExecuteAsync(ParseResult parse, TextWriter output, TextWriter error)
    {
        var problems = new CliProblems();
        var request = Prepare(parse, problems);
        if (problems.Any || request is null)
        {
            return problems.Report(error);
        }

        var json = parse.GetValue(_json);
        var progressWriter = json ? error : output;
        if (request.Sets is { } sets)
        {
            return await RunSetsAsync(request, sets, parse, json ? error : output, json ? output : null, error);
        }

        var colours = !json && ConsoleColours.For(output);
        var progress = new RunProgress(progressWriter, colours, showLogs: !parse.GetValue(_quiet));
        using var docker = request.Docker is null ? null : DockerEndpoint.CreateClient(request.Docker.Endpoint);
        if (docker is not null && await PingAsync(docker, request.Docker!) is { } unreachable)
        {
            problems.Add(unreachable);
            return problems.Report(error);
        }

        using var containers = docker is null ? null : new DockerStepRunner(docker, request.Docker!);
        var processes = containers is null ? new ProcessStepRunner(request.Process) : null;
        if (processes is not null && request.Process.Sandbox == ProcessSandbox.Auto && await processes.SandboxProblemAsync() is { } unsandboxed)
        {
            progress.Write($"note: steps run without a sandbox ({unsandboxed}): they find the data folder in ORCHEST_DATA_DIR, not at /data.");
        }

        var runner = (IStepRunner?)containers ?? processes!;
        var session = new EmbeddedSession(request.Project, request.DataDirectory, progress, runner, parse.GetValue(_parallelism))
        {
            Services = ServicesFor(request, docker, containers),
        };
        var snapshot = await session.RunAsync(request.Plan, progress);
        if (docker is not null)
        {
            // Every step removes its container; this catches one a crash in the runner left behind.
            await new ContainerJanitor(docker, request.Docker!.Instance).RemoveRunContainersAsync(snapshot.Run.Id);
        }

        var record = RunReport.ToJson(snapshot, session.Artifacts);
        await AtomicFile.WriteAllTextAsync(
            Path.Combine(request.Project.OrchestDirectory, "runs", snapshot.Run.Id, "run.json"), RunReport.Serialize(record));
        if (json)
        {
            output.WriteLine(RunReport.Serialize(record));
        }
        else
        {
            RunReport.WriteSummary(snapshot, session.Artifacts, progress);
        }

        return snapshot.Run.Status == ExecutionStatus.Success ? ExitCodes.Success : ExitCodes.RunFailed;
    }

    /// <summary>Checks every input; on any problem nothing is written and null is returned.</summary>
    private PreparedRun? Prepare(ParseResult parse, CliProblems problems)
    {
        var project = PipelineLoader.OpenProject(parse.GetValue(_project.ProjectDirectory)!, problems);
        var path = project is null ? null : PipelineLoader.ResolvePipelinePath(project, parse.GetValue(_project.Pipeline), problems);
        if (!RunGraphBuilder.TryParseRunType(parse.GetValue(_runType)!, out var runType))
        {
            problems.Add($"--run-type \"{parse.GetValue(_runType)}\" is not one of full, selection, incoming.");
        }

        var steps = (parse.GetValue(_steps) ?? []).SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        var pipelineParameters = ArgumentParsers.ParseParameters(parse.GetValue(_params) ?? [], "--param", problems);
        var stepParameters = ArgumentParsers.ParseStepParameters(parse.GetValue(_stepParams) ?? [], problems);
        var environment = ArgumentParsers.ParseEnvironment(parse.GetValue(_env) ?? [], problems);
        var sets = ParameterSetRuns.Read(parse.GetValue(_paramsFile), parse.GetValue(_grid), problems);
        if (sets is not null && (pipelineParameters.Count > 0 || stepParameters.Count > 0))
        {
            problems.Add("--grid and --params-file give each run its parameters: drop --param and --step-param (put those values in the file).");
        }
        if (parse.GetValue(_parallelism) is < 0)
        {
            problems.Add("--parallelism must be 0 (unbounded) or more.");
        }

        var docker = DockerOptions(parse, problems);
        var process = ProcessOptions(parse, problems);
        if (project is null || path is null || PipelineLoader.Load(project, path, problems) is not { } pipeline)
        {
            return null;
        }

        var graph = RunGraphBuilder.Build(pipeline, runType, steps);
        problems.AddRange(graph.Problems.Select(p => p.Message));
        problems.AddRange(RunnerChecks.Problems(pipeline, parse.GetValue(_runner)!));
        var stepOverrides = StepReferences.Resolve(pipeline, stepParameters, problems);
        if (problems.Any || graph.Graph is null)
        {
            return null;
        }

        var request = new RunRequest
        {
            ProjectId = project.ProjectId,
            Workspace = project.Root,
            RunType = runType,
            Steps = steps,
            PipelineParameters = pipelineParameters.Count > 0 ? pipelineParameters : null,
            StepParameters = stepOverrides,
            EnvironmentVariables = environment,
        };
        // Steps run in their own folders: a relative --data-dir means the folder seen from here.
        var data = DataDirectories.Choose(parse.GetValue(_dataDir), project);
        if (sets is not null)
        {
            var plans = ParameterSetRuns.Plan(sets, request, pipeline, graph.Graph, problems);
            return plans is null ? null : new PreparedRun(project, plans[0], data, docker, process, pipeline, plans);
        }

        var plan = RunPlanner.Plan(request, pipeline, graph.Graph, DateTimeOffset.UtcNow);
        return new PreparedRun(project, plan, data, docker, process, pipeline);
    }

    private ProcessRunnerOptions ProcessOptions(ParseResult parse, CliProblems problems)
    {
        var options = new ProcessRunnerOptions();
        if (parse.GetValue(_python) is { } python)
        {
            options.Python = python;
        }

        var sandbox = parse.GetValue(_sandbox)!;
        if (Enum.TryParse<ProcessSandbox>(sandbox, ignoreCase: true, out var chosen) && !int.TryParse(sandbox, out _))
        {
            options.Sandbox = chosen;
        }
        else
        {
            problems.Add($"--sandbox \"{sandbox}\" is not one of auto, bubblewrap, none.");
        }

        return options;
    }

    /// <summary>The container runner's settings for --runner docker; null for the process runner.</summary>
    private DockerRunnerOptions? DockerOptions(ParseResult parse, CliProblems problems)
    {
        switch (parse.GetValue(_runner))
        {
            case RunnerChecks.Process:
                return null;
            case RunnerChecks.Docker:
                var options = new DockerRunnerOptions();
                if (parse.GetValue(_dockerHost) is { } host)
                {
                    options.Endpoint = host;
                }

                if (!DockerEndpoint.TryParse(options.Endpoint, out _, out var problem))
                {
                    problems.Add($"--docker-host: {problem}");
                }

                return options;
            default:
                problems.Add($"--runner \"{parse.GetValue(_runner)}\" is not one of process, docker.");
                return null;
        }
    }

    private static async Task<string?> PingAsync(Docker.DotNet.DockerClient docker, DockerRunnerOptions options)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await docker.System.PingAsync(timeout.Token);
            return null;
        }
        catch (Exception ex) when (ex is HttpRequestException or System.Net.Sockets.SocketException or IOException
                                       or OperationCanceledException or Docker.DotNet.DockerApiException)
        {
            return $"--runner docker: no Docker Engine API answers at {options.Endpoint} ({ex.GetBaseException().Message}). "
                   + "Start one (infra/local/podman-service.sh start, then eval \"$(infra/local/podman-service.sh env)\") or pass --docker-host.";
        }
    }

    /// <summary>A run per parameter set, all at once; the table of sets and outcomes at the end.</summary>
    private async Task<int> RunSetsAsync(PreparedRun request, IReadOnlyList<RunPlan> sets, ParseResult parse, TextWriter progress, TextWriter? json, TextWriter error)
    {
        using var docker = request.Docker is null ? null : DockerEndpoint.CreateClient(request.Docker.Endpoint);
        if (docker is not null && await PingAsync(docker, request.Docker!) is { } unreachable)
        {
            var problems = new CliProblems();
            problems.Add(unreachable);
            return problems.Report(error);
        }

        using var containers = docker is null ? null : new DockerStepRunner(docker, request.Docker!);
        var runner = (IStepRunner?)containers ?? new ProcessStepRunner(request.Process);
        var table = new ParameterSetRuns(sets, request.Pipeline, progress);

        // Runs of one pipeline at once: each writes its logs under its own run folder, and step output is not
        // streamed (interleaved lines of many runs help nobody); the table says where each run's record is.
        var session = new EmbeddedSession(request.Project, request.DataDirectory, table, onLogLine: null, runner, parse.GetValue(_parallelism), logsPerRun: true)
        {
            Services = ServicesFor(request, docker, containers),
        };
        progress.WriteLine($"Running {request.Pipeline.Path} with {sets.Count} parameter sets ...");
        var runs = await session.RunAllAsync(sets, progress.WriteLine);
        if (docker is not null)
        {
            foreach (var run in runs)
            {
                await new ContainerJanitor(docker, request.Docker!.Instance).RemoveRunContainersAsync(run.Run.Id);
            }
        }

        await ParameterSetRuns.RecordAsync(runs, request.Project, session.Artifacts);
        table.WriteTable(runs, session.Artifacts);
        json?.WriteLine(RunReport.Serialize(new JsonArray(runs.Select(r => (JsonNode)RunReport.ToJson(r, session.Artifacts)).ToArray())));
        return runs.All(r => r.Run.Status == ExecutionStatus.Success) ? ExitCodes.Success : ExitCodes.RunFailed;
    }

    /// <summary>The run's pipeline services with the docker runner (the process runner refuses them in validation).</summary>
    private static RunServiceSessions? ServicesFor(PreparedRun request, Docker.DotNet.DockerClient? docker, DockerStepRunner? containers) =>
        docker is null || containers is null
            ? null
            : new RunServiceSessions(new ServiceContainers(docker, request.Docker!, containers.Images), request.Project, request.Pipeline, request.DataDirectory);

    private sealed record PreparedRun(
        ProjectFolder Project, RunPlan Plan, string DataDirectory, DockerRunnerOptions? Docker, ProcessRunnerOptions Process, PipelineDefinition Pipeline, IReadOnlyList<RunPlan>? Sets = null);
}
