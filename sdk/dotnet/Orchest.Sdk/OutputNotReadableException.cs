namespace Orchest.Sdk;

/// <summary>
/// An incoming step's output exists but this SDK cannot decode it: a Python pickle, a serialisation
/// this SDK version does not know, or metadata or payload bytes that are not valid.
/// </summary>
public sealed class OutputNotReadableException : OrchestSdkException
{
    /// <summary>Creates the error.</summary>
    /// <param name="stepUuid">The producing step's uuid.</param>
    /// <param name="stepTitle">The producing step's title.</param>
    /// <param name="outputName">The output's name, or null for the unnamed output.</param>
    /// <param name="serialization">The serialisation named in the output's metadata, if it was readable.</param>
    /// <param name="message">Why the output cannot be read and what to do about it.</param>
    /// <param name="innerException">The underlying decoding error, if any.</param>
    public OutputNotReadableException(
        string stepUuid,
        string stepTitle,
        string? outputName,
        string? serialization,
        string message,
        Exception? innerException = null)
        : base(message, innerException)
    {
        StepUuid = stepUuid;
        StepTitle = stepTitle;
        OutputName = outputName;
        Serialization = serialization;
    }

    /// <summary>The uuid of the step that produced the output.</summary>
    public string StepUuid { get; }

    /// <summary>The title of the step that produced the output.</summary>
    public string StepTitle { get; }

    /// <summary>The output's name, or null for the unnamed output.</summary>
    public string? OutputName { get; }

    /// <summary>The serialisation named in the output's metadata (e.g. <c>PICKLE</c>), if it was readable.</summary>
    public string? Serialization { get; }

    internal static string Describe(string? outputName, string stepTitle, string stepUuid) =>
        outputName is null
            ? $"The unnamed output of incoming step \"{stepTitle}\" (\"{stepUuid}\")"
            : $"Output \"{outputName}\" of incoming step \"{stepTitle}\" (\"{stepUuid}\")";
}
