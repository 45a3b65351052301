using System.Text;
using Orchest.Benchmarks.Measuring;
using Orchest.Benchmarks.Scenarios;
using Orchest.Benchmarks.Workloads;

namespace Orchest.Benchmarks.Contenders;

/// <summary>
/// The raw bound for containers: a bash script of <c>podman run --rm --init --network host</c>, one per
/// step in dependency order, with the image orchest's docker runner uses for steps without an
/// environment (the newest image labelled <c>orchest.environment=default</c>, else the base image), the
/// project folder mounted at <c>/project-dir</c> (the working directory) and a data folder at
/// <c>/data</c>, running the same <c>bash &lt;step&gt;.sh</c>. Uses the podman CLI directly (no API
/// service in between), with <c>CONTAINERS_CONF</c> from the environment.
/// </summary>
public sealed class RawPodmanContender(string? podman, string? dockerHost) : IContender
{
    private const string BaseImage = "orchest/base-kernel-py";

    public string Name => ContenderNames.RawPodman;
    public string Description => "bash script: podman run --rm --init --network host -v project:/project-dir -v data:/data <orchest's default step image> bash <step>.sh, per step in order";

    public string? Unavailable =>
        podman is null ? "podman not installed"
        : string.IsNullOrEmpty(dockerHost) ? "no DOCKER_HOST (full runs of infra/bench.sh start the podman service)" : null;

    public bool WarmUp => true;

    public bool Supports(IScenario scenario) => scenario.Kind == ScenarioKind.Container;

    public async Task<Sample> RunAsync(Workload workload, RunContext context, CancellationToken cancellationToken = default)
    {
        if (!workload.IsChain)
        {
            throw new InvalidOperationException("raw-podman runs chains only (one container after the other).");
        }

        WorkloadFolder.WriteSteps(workload, context.Directory, orchest: false);
        var data = Path.Combine(context.Directory, ".data");
        Directory.CreateDirectory(data);
        var image = await ImageAsync(context, cancellationToken);
        var script = new StringBuilder("set -euo pipefail\n");
        foreach (var step in workload.Steps)
        {
            script.Append('\'').Append(podman).Append("' run --rm --init --network host -v '").Append(context.Directory).Append(":/project-dir' -v '")
                .Append(data).Append(":/data' -w /project-dir ").Append(image).Append(' ')
                .Append(WorkloadFolder.CommandLine(step, context.Interpreters with { Bash = "bash", Python = "python3" })).Append('\n');
        }

        await File.WriteAllTextAsync(Path.Combine(context.Directory, "run.sh"), script.ToString(), cancellationToken);
        var result = await ChildProcess.RunAsync(context.Interpreters.Bash, ["run.sh"], context.Directory, context.Timeout, cancellationToken);
        return new Sample(result.EnsureSuccess("raw podman").Elapsed);
    }

    /// <summary>The image id orchest runs default steps in (resolved before the clock starts; <c>--sort created</c> lists newest first).</summary>
    private async Task<string> ImageAsync(RunContext context, CancellationToken cancellationToken)
    {
        var images = await ChildProcess.RunAsync(
            podman!, ["images", "--filter", "label=orchest.environment=default", "--sort", "created", "--format", "{{.ID}}"],
            context.Directory, TimeSpan.FromSeconds(60), cancellationToken);
        var newest = images.ExitCode == 0 ? images.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() : null;
        return newest ?? BaseImage;
    }
}
