using System.Globalization;
using System.Net.Sockets;
using Docker.DotNet;
using Docker.DotNet.Models;
using Orchest.Engine.Ports;

namespace Orchest.Runners.Docker;

/// <summary>What happens before a container starts: checks, files, the container's specification.</summary>
public sealed partial class DockerStepRunner
{
    private async Task<StepExit?> CheckLaunchAsync(StepLaunch launch, IStepLog log, CancellationToken cancellationToken)
    {
        if (ContainerCommand.For(launch, _options, p => p) is null)
        {
            return await RefuseAsync(log, $"Running files with '{Path.GetExtension(launch.StepFile).TrimStart('.')}' extension is not yet supported.", 1, cancellationToken);
        }

        if (!File.Exists(launch.StepFile))
        {
            return await RefuseAsync(log, $"Orchest error: could not find file \"{launch.StepFile}\".", 1, cancellationToken);
        }

        var root = Path.GetFullPath(launch.WorkspaceRoot).TrimEnd('/') + "/";
        if (!Path.GetFullPath(launch.StepFile).StartsWith(root, StringComparison.Ordinal)
            || !(Path.GetFullPath(launch.WorkingDirectory).TrimEnd('/') + "/").StartsWith(root, StringComparison.Ordinal))
        {
            return await RefuseAsync(log, $"Orchest error: \"{launch.StepFile}\" is outside the project folder mounted at {ContainerPaths.ProjectDir}.", 1, cancellationToken);
        }

        return null;
    }

    private static async Task<StepExit> RefuseAsync(IStepLog log, string message, int exitCode, CancellationToken cancellationToken)
    {
        // The reason must reach the log even when the step is being stopped at the same time.
        await log.WriteLineAsync(message, cancellationToken.IsCancellationRequested ? CancellationToken.None : cancellationToken);
        return new StepExit(exitCode, message);
    }

    /// <summary>The context file with container paths; folders the image's user writes to made writable.</summary>
    private async Task PrepareFilesAsync(StepLaunch launch, ContainerPaths paths, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(launch.DataDirectory);
        Directory.CreateDirectory(Path.GetDirectoryName(launch.ContextFile)!);
        Directory.CreateDirectory(Path.GetDirectoryName(launch.ExecutedNotebookPath)!);
        await StepContextFile.WriteAsync(launch, paths.Map, cancellationToken);
        if (!_options.RunAsImageUser)
        {
            return;
        }

        await _writable.EnsureTreeAsync(launch.RunId, launch.WorkspaceRoot);
        await _writable.EnsureTreeAsync(launch.RunId, launch.DataDirectory);

        // Created by the engine for this step, after the run's walk.
        foreach (var folder in new[] { launch.Context.Output.Path, Path.GetDirectoryName(launch.ExecutedNotebookPath), launch.DataDirectory })
        {
            if (folder is not null)
            {
                WritableFolders.EnsureFolder(folder);
            }
        }
    }

    private CreateContainerParameters ContainerSpec(StepLaunch launch, ContainerPaths paths, StepResources resources, EnvironmentImage image)
    {
        var environment = StepEnvironment.Build(launch, paths.Map);
        environment["PYTHONUNBUFFERED"] = "1";
        if (environment.TryGetValue("PYTHONPATH", out var userPath) && userPath.Length > 0)
        {
            // A user PYTHONPATH replaces the image's: keep the step SDK importable.
            environment["PYTHONPATH"] = EnvironmentBuildContext.SdkPath + ":" + userPath;
        }

        var labels = new Dictionary<string, string>(_options.Labels, StringComparer.Ordinal)
        {
            [ContainerLabels.Managed] = "true",
            [ContainerLabels.Run] = launch.RunId,
            [ContainerLabels.Step] = launch.StepUuid,
            [ContainerLabels.Attempt] = launch.Attempt.ToString(CultureInfo.InvariantCulture),
            [ContainerLabels.Pipeline] = launch.PipelineUuid,
            [ContainerLabels.Project] = launch.ProjectId,
            [ContainerLabels.Instance] = _options.Instance,
            [ContainerLabels.Host] = InstallationIdentity.CurrentHost,
        };
        var host = new HostConfig
        {
            Binds = paths.Binds(),
            NetworkMode = _options.NetworkMode,
            // An init process as PID 1 forwards TERM to the step (a bare python or bash as PID 1 ignores it).
            Init = true,
            PidsLimit = resources.PidsLimit,
        };
        if (resources.MemoryBytes is { } memory)
        {
            host.Memory = memory;
            host.MemorySwap = memory;
        }

        if (resources.Cpus is { } cpus)
        {
            host.NanoCPUs = ResourceQuantity.NanoCpus(cpus);
        }

        return new CreateContainerParameters
        {
            Name = ContainerName(launch),
            Image = image.Tag,
            Cmd = ContainerCommand.For(launch, _options, paths.Map),
            WorkingDir = paths.Map(launch.WorkingDirectory),
            Env = environment.Select(kv => $"{kv.Key}={kv.Value}").ToList(),
            Labels = labels,
            User = _options.RunAsImageUser ? null : HostUser.Current(),
            AttachStdout = true,
            AttachStderr = true,
            HostConfig = host,
        };
    }

    /// <summary>Readable and unique (podman refuses a duplicate name with a 500).</summary>
    private static string ContainerName(StepLaunch launch)
    {
        static string Safe(string value, int length)
        {
            var safe = new string(value.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.').ToArray());
            return safe.Length == 0 ? "x" : safe[..Math.Min(length, safe.Length)];
        }

        return $"orchest-{Safe(launch.RunId, 12)}-{Safe(launch.StepUuid, 8)}-{launch.Attempt}-{Guid.NewGuid().ToString("n")[..6]}";
    }

    private static bool IsEngineError(Exception ex) =>
        ex is DockerApiException or HttpRequestException or SocketException or IOException or TimeoutException
        || (ex is TaskCanceledException { InnerException: TimeoutException });

    private string EngineProblem(Exception ex) => ex switch
    {
        DockerApiException api => $"The Docker Engine API at {_options.Endpoint} refused the step: {(int)api.StatusCode} {api.ResponseBody?.Trim()}",
        _ => $"The Docker Engine API at {_options.Endpoint} is not reachable ({ex.GetBaseException().Message}); start it "
             + "(infra/local/podman-service.sh start) or set DOCKER_HOST / Orchest:Runners:Docker:Endpoint.",
    };
}
