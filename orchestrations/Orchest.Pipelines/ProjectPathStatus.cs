namespace Orchest.Pipelines;

public enum ProjectPathStatus
{
    Missing,
    File,
    Directory,

    /// <summary>The path exists but is (or passes through) a symbolic link resolving outside the project.</summary>
    OutsideProject,
}
