namespace Orchest.Sdk;

/// <summary>
/// The step's context cannot be resolved: the context file named by <c>ORCHEST_STEP_CONTEXT</c> is
/// missing or invalid, or, without it, the Orchest-style variables (<c>ORCHEST_STEP_UUID</c>,
/// <c>ORCHEST_PIPELINE_PATH</c>, <c>ORCHEST_PROJECT_DIR</c>) are missing or point at nothing usable.
/// </summary>
public sealed class StepContextException : OrchestSdkException
{
    /// <summary>Creates the error.</summary>
    /// <param name="message">What is missing or wrong and what to set.</param>
    /// <param name="sourcePath">The context or pipeline file involved, if any.</param>
    /// <param name="innerException">The underlying I/O or JSON error, if any.</param>
    public StepContextException(string message, string? sourcePath = null, Exception? innerException = null)
        : base(message, innerException)
    {
        SourcePath = sourcePath;
    }

    /// <summary>The context file or pipeline file the SDK was reading, or null when none was found.</summary>
    public string? SourcePath { get; }
}
