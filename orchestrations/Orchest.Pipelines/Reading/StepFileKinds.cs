namespace Orchest.Pipelines.Reading;

/// <summary>Orchest's runner dispatch: the text after the file name's last ".", lower-cased.</summary>
internal static class StepFileKinds
{
    public const string Supported = ".ipynb, .py, .sh, .R, .jl, .js, .cs, or none (run with bash)";

    public static StepFileKind FromFilePath(string filePath)
    {
        var extension = Extension(filePath);
        return extension switch
        {
            null => StepFileKind.Shell,
            "ipynb" => StepFileKind.Notebook,
            "py" => StepFileKind.Python,
            "sh" => StepFileKind.Shell,
            "r" => StepFileKind.R,
            "jl" => StepFileKind.Julia,
            "js" => StepFileKind.JavaScript,
            "cs" => StepFileKind.CSharp,
            _ => StepFileKind.Unsupported,
        };
    }

    /// <summary>The lower-cased extension without its dot, or null when the file name has no dot.</summary>
    public static string? Extension(string filePath)
    {
        var name = FileName(filePath);
        var dot = name.LastIndexOf('.');
        return dot < 0 ? null : name[(dot + 1)..].ToLowerInvariant();
    }

    public static string FileName(string filePath)
    {
        var separator = filePath.LastIndexOfAny(['/', '\\']);
        return separator < 0 ? filePath : filePath[(separator + 1)..];
    }
}
