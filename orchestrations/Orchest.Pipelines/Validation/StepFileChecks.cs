using Orchest.Pipelines.Reading;

namespace Orchest.Pipelines.Validation;

/// <summary>The checks that need the project: the step's file and its environment.</summary>
internal static class StepFileChecks
{
    public static void Check(PipelineStep step, IProjectFiles files, ProblemSink sink)
    {
        var problems = sink.Step(step.Uuid, step.Title);
        CheckFile(step, files, problems);

        if (step.Environment.Length > 0 && !files.Environments.ContainsKey(step.Environment))
        {
            problems.Add(
                "unknown_environment",
                "environment",
                $"environment \"{step.Environment}\" does not exist in the project (no .orchest/environments/{step.Environment}/properties.json).");
        }
    }

    private static void CheckFile(PipelineStep step, IProjectFiles files, ProblemScope problems)
    {
        // An empty file_path was reported when the file was read.
        if (step.FilePath.Length == 0)
        {
            return;
        }

        var shown = ProblemText.Quoted(step.FilePath);
        if (ProjectPaths.IsAbsolute(step.FilePath))
        {
            problems.Add("path_escapes_project", "file_path", $"file_path {shown} is absolute and escapes the project; write it relative to the pipeline file.");
        }
        else if (step.ProjectPath is null)
        {
            problems.Add("path_escapes_project", "file_path", $"file_path {shown} escapes the project.");
        }
        else
        {
            switch (files.GetStatus(step.ProjectPath))
            {
                case ProjectPathStatus.Missing:
                    problems.Add("step_file_missing", "file_path", $"file_path {shown} does not exist (looked for \"{step.ProjectPath}\" in the project).");
                    break;
                case ProjectPathStatus.Directory:
                    problems.Add("step_file_is_directory", "file_path", $"file_path {shown} is a directory, not a file.");
                    break;
                case ProjectPathStatus.OutsideProject:
                    problems.Add("path_escapes_project", "file_path", $"file_path {shown} is a symbolic link that resolves outside the project.");
                    break;
                default:
                    break;
            }
        }

        if (step.Kind == StepFileKind.Unsupported)
        {
            var name = StepFileKinds.FileName(step.FilePath);
            var extension = name[name.LastIndexOf('.')..];
            problems.Add("unsupported_file_type", "file_path", $"file_path {shown} has the unsupported extension \"{extension}\" (supported: {StepFileKinds.Supported}).");
        }
    }
}
