namespace Orchest.Sdk;

/// <summary>
/// An incoming step has no committed output set (it never ran successfully, or its outputs were
/// removed). The message is Orchest's: <c>Output from incoming step "&lt;title&gt;" ("&lt;uuid&gt;")
/// cannot be found. Try rerunning it.</c>
/// </summary>
public sealed class OutputNotFoundException : OrchestSdkException
{
    /// <summary>Creates the error for one incoming step.</summary>
    /// <param name="stepUuid">The incoming step's uuid.</param>
    /// <param name="stepTitle">The incoming step's title.</param>
    public OutputNotFoundException(string stepUuid, string stepTitle)
        : base($"Output from incoming step \"{stepTitle}\" (\"{stepUuid}\") cannot be found. Try rerunning it.")
    {
        StepUuid = stepUuid;
        StepTitle = stepTitle;
    }

    /// <summary>The uuid of the incoming step whose output is missing.</summary>
    public string StepUuid { get; }

    /// <summary>The title of the incoming step whose output is missing.</summary>
    public string StepTitle { get; }
}
