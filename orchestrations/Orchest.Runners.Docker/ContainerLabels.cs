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
}
