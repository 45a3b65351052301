namespace Orchest.Testing;

/// <summary>Pipelines in sub-folders, whose step files are relative to the pipeline file (as Orchest stored them).</summary>
public static class TempProjectPipelines
{
    /// <summary>Writes the pipeline at <paramref name="path"/> and its declared step files beside it.</summary>
    public static string WritePipelineBesideSteps(this TempProject project, PipelineBuilder pipeline, string path)
    {
        var folder = Path.GetDirectoryName(path) ?? "";
        foreach (var (file, content) in pipeline.StepFiles)
        {
            var relative = Path.Combine(folder, file);
            if (!project.Exists(relative))
            {
                project.Write(relative, content);
            }
        }

        return project.Write(path, pipeline.ToJson());
    }
}
