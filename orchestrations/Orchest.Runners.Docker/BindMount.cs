namespace Orchest.Runners.Docker;

/// <summary>One host folder mounted into a step container.</summary>
internal sealed record BindMount(string HostPath, string ContainerPath, bool ReadOnly);
