using System.Globalization;
using System.Text.Json.Nodes;
using Orchest.Benchmarks.Measuring;
using Orchest.Benchmarks.Scenarios;
using Orchest.Benchmarks.Workloads;

namespace Orchest.Benchmarks.Contenders;

/// <summary>
/// <c>orchest run --runner docker</c> against the Docker API at <c>DOCKER_HOST</c> (podman here): every
/// step in a container of the default environment image (<c>orchest/base-kernel-py</c> + the step
/// SDK, built once and then cached by content hash). Once per session, before anything is timed, it
/// also measures an environment image's cache miss: a one-step project with a fresh environment
/// (same base image, a one-line setup script) is run twice; the first run builds the image, the second
/// finds it cached. That image is removed again afterwards.
/// </summary>
public sealed class OrchestDockerContender(string orchestPath, string? dockerHost, string? podman) : OrchestCliContender(orchestPath)
{
    private readonly List<string> _notes = [];
    private bool _cacheMissMeasured;

    public override string Name => "orchest-docker";
    public override string Description => "orchest run --runner docker --json --quiet --parallelism P (containers through the Docker API, podman here)";

    public override string? Unavailable =>
        base.Unavailable ?? (string.IsNullOrEmpty(dockerHost) ? "no DOCKER_HOST (full runs of infra/bench.sh start the podman service)" : null);

    public override bool WarmUp => true;

    public override IEnumerable<string> Notes => _notes;

    public override bool Supports(IScenario scenario) => scenario.Kind == ScenarioKind.Container;

    public override async Task<Sample> RunAsync(Workload workload, RunContext context, CancellationToken cancellationToken = default)
    {
        if (!_cacheMissMeasured)
        {
            _cacheMissMeasured = true;
            await MeasureCacheMissAsync(context, cancellationToken);
        }

        return await RunCliAsync(workload, context, ["--runner", "docker"], cancellationToken);
    }

    private async Task MeasureCacheMissAsync(RunContext context, CancellationToken cancellationToken)
    {
        var environment = Guid.NewGuid().ToString();
        var workload = new Workload("environment-cache-miss", [new WorkStep("s001", StepKind.Shell, [], Workload.TrivialShell("s001"))], ScenarioKind.Container);
        var times = new List<TimeSpan>();
        try
        {
            for (var run = 0; run < 2; run++)
            {
                var directory = Path.Combine(context.Directory, "cache-miss-" + run.ToString(CultureInfo.InvariantCulture));
                Directory.CreateDirectory(directory);
                var folder = Path.Combine(directory, ".orchest", "environments", environment);
                Directory.CreateDirectory(folder);
                await File.WriteAllTextAsync(Path.Combine(folder, "properties.json"), new JsonObject
                {
                    ["uuid"] = environment,
                    ["name"] = "bench cache miss",
                    ["language"] = "python",
                    ["base_image"] = "orchest/base-kernel-py",
                    ["gpu_support"] = false,
                }.ToJsonString(), cancellationToken);
                await File.WriteAllTextAsync(Path.Combine(folder, "setup_script.sh"), "#!/bin/bash\necho environment ready\n", cancellationToken);
                var sample = await RunCliAsync(workload, context with { Directory = directory }, ["--runner", "docker"], cancellationToken, environment);
                times.Add(sample.Wall);
                Directory.Delete(directory, recursive: true);
            }

            _notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"orchest-docker environment image cache miss (measured once): a 1-step run with a new environment (FROM orchest/base-kernel-py + step SDK + a one-line setup script) took {times[0].TotalSeconds:0.000} s, the same run with the image cached {times[1].TotalSeconds:0.000} s: build ≈ {(times[0] - times[1]).TotalSeconds:0.000} s. Every timed container run uses the cached default image."));
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException)
        {
            _notes.Add("orchest-docker environment image cache miss: not measured: " + ex.Message);
        }
        finally
        {
            await RemoveImagesAsync(environment, context.Directory, cancellationToken);
        }
    }

    /// <summary>Removes the images (and build layers) labelled with this session's throwaway environment only.</summary>
    private async Task RemoveImagesAsync(string environment, string directory, CancellationToken cancellationToken)
    {
        if (podman is null)
        {
            return;
        }

        var timeout = TimeSpan.FromSeconds(60);
        var list = await ChildProcess.RunAsync(podman, ["images", "-a", "-q", "--filter", $"label=orchest.environment={environment}"], directory, timeout, cancellationToken);
        var ids = list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
        if (list.ExitCode == 0 && ids.Count > 0)
        {
            await ChildProcess.RunAsync(podman, ["rmi", "-f", .. ids], directory, timeout, cancellationToken);
        }
    }
}
