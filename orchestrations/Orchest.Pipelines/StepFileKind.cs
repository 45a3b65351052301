namespace Orchest.Pipelines;

/// <summary>How a step's file is run, decided by its extension (case-insensitive, as Orchest's runner did).</summary>
public enum StepFileKind
{
    Notebook,
    Python,

    /// <summary>".sh", and files without an extension (Orchest ran those with bash).</summary>
    Shell,
    R,
    Julia,
    JavaScript,
    CSharp,
    Unsupported,
}
