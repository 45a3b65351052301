namespace Orchest.Runners.Docker;

/// <summary>Labels on every step container, so cleanup finds them (and their run) after a crash.</summary>
public static class ContainerLabels
{
    public const string Managed = "orchest.managed";
    public const string Run = "orchest.run";
    public const string Step = "orchest.step";
    public const string Attempt = "orchest.attempt";
    public const string Pipeline = "orchest.pipeline";
    public const string Project = "orchest.project";

    /// <summary>The installation the container belongs to (<see cref="InstallationIdentity.Default"/>): cleanup never looks past it.</summary>
    public const string Instance = "orchest.instance";

    /// <summary>The host process that created the container (<see cref="InstallationIdentity.CurrentHost"/>): while it runs, it removes the container itself.</summary>
    public const string Host = "orchest.host";
}
