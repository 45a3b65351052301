using Docker.DotNet;
using Docker.DotNet.Models;
using Orchest.Runners.Process;
using Orchest.Testing;

namespace Orchest.Runners.Docker.Tests;

/// <summary>Runners, clients and clean-up for one test class: build logs in a temp folder, a test label on every container.</summary>
public sealed class DockerTestContext : IAsyncDisposable
{
    private readonly List<string> _images = [];

    public DockerTestContext(DockerEngineFixture engine)
    {
        Engine = engine;
        TestId = Guid.NewGuid().ToString("n")[..12];
        BuildLogs = Path.Combine(Path.GetTempPath(), "orchest-tests", $"builds-{TestId}");
        Client = DockerEndpoint.CreateClient(engine.Endpoint);
    }

    public DockerEngineFixture Engine { get; }

    /// <summary>Value of the <c>orchest.test</c> label on this context's containers.</summary>
    public string TestId { get; }

    public string BuildLogs { get; }

    public DockerClient Client { get; }

    public string SdkPath => Path.Combine(Engine.RepositoryRoot, "sdk", "python");

    public DockerRunnerOptions Options(Action<DockerRunnerOptions>? configure = null)
    {
        var options = new DockerRunnerOptions
        {
            Endpoint = Engine.Endpoint,
            DefaultImage = DockerEngineFixture.BaseImage,
            PythonSdkPath = SdkPath,
            BuildLogDirectory = BuildLogs,
            KillGracePeriod = TimeSpan.FromSeconds(1),
            // Nothing to pull from here; a pull only costs seconds before failing.
            PullMissingImages = false,
            Labels = { ["orchest.test"] = TestId },
        };
        configure?.Invoke(options);
        return options;
    }

    public DockerStepRunner Runner(Action<DockerRunnerOptions>? configure = null) => new(Client, Options(configure));

    public ProcessStepRunner ProcessRunner() => new(new ProcessRunnerOptions { PythonSdkPath = SdkPath, KillGracePeriod = TimeSpan.FromSeconds(1) });

    /// <summary>Removes <paramref name="tag"/> when the test ends (environment images made only for one test).</summary>
    public void RemoveImageLater(string tag) => _images.Add(tag);

    public async Task<IList<ContainerListResponse>> ContainersAsync(string label, string value) =>
        await Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{label}={value}"] = true } },
        });

    public async ValueTask DisposeAsync()
    {
        foreach (var container in await ContainersAsync("orchest.test", TestId))
        {
            await Client.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true });
        }

        foreach (var tag in _images)
        {
            try
            {
                await Client.Images.DeleteImageAsync(tag, new ImageDeleteParameters { Force = true });
            }
            catch (DockerApiException)
            {
                // Already gone.
            }
        }

        Client.Dispose();
        if (Directory.Exists(BuildLogs))
        {
            Directory.Delete(BuildLogs, recursive: true);
        }
    }
}
