namespace Orchest.Pipelines;

/// <summary>Rules for finding pipeline files while walking a project (the walk itself is the caller's I/O).</summary>
public static class PipelineDiscovery
{
    /// <summary>Orchest skipped ".ipynb_checkpoints"; we also skip our own state folder and git's.</summary>
    public static bool IsSkippedDirectory(string directoryName) =>
        directoryName is ".ipynb_checkpoints" or ".orchest" or ".git";

    /// <summary>Orchest's test was a case-sensitive <c>endswith(".orchest")</c>.</summary>
    public static bool IsPipelineFile(string fileName) =>
        fileName.EndsWith(".orchest", StringComparison.Ordinal);
}
