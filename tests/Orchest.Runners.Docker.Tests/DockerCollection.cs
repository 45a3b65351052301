using Orchest.Testing;

namespace Orchest.Runners.Docker.Tests;

/// <summary>Tests against the real (podman-served) Docker Engine API share one fixture and run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class DockerCollection : ICollectionFixture<DockerEngineFixture>
{
    public const string Name = "docker engine";
}
