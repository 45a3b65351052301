using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Orchest.Sdk;

/// <summary>
/// What one running step knows about itself: its ids, its parameters, where its incoming steps'
/// outputs are and where its own outputs go (PROTOCOL.md §2). <see cref="Current"/> resolves it once
/// from the environment; <see cref="Load"/> reads an explicit context file (tests, tools).
/// The static <see cref="Step"/> class forwards to <see cref="Current"/>.
/// </summary>
public sealed partial class StepContext
{
    /// <summary>The environment variable naming the step context file.</summary>
    public const string ContextVariable = "ORCHEST_STEP_CONTEXT";

    // PublicationOnly: a failed resolution is not cached, and resolving twice has no side effects.
    private static readonly Lazy<StepContext> CurrentContext = new(FromEnvironment, LazyThreadSafetyMode.PublicationOnly);

    private readonly OutputSetLocation _output;
    private readonly IReadOnlyList<IncomingStep> _incomingSteps;

    internal StepContext(
        string stepUuid,
        string stepTitle,
        string pipelineUuid,
        string? runUuid,
        int attempt,
        OutputSetLocation output,
        IReadOnlyList<IncomingStep> incomingSteps,
        IReadOnlyDictionary<string, JsonElement> stepParameters,
        IReadOnlyDictionary<string, JsonElement> pipelineParameters)
    {
        StepUuid = stepUuid;
        StepTitle = stepTitle;
        PipelineUuid = pipelineUuid;
        RunUuid = runUuid;
        Attempt = attempt;
        _output = output;
        _incomingSteps = incomingSteps;
        StepParameters = stepParameters;
        PipelineParameters = pipelineParameters;
    }

    /// <summary>
    /// The context of the step this process runs, resolved on first use: from the file named by
    /// <c>ORCHEST_STEP_CONTEXT</c>, or without it Orchest-style from <c>ORCHEST_STEP_UUID</c>,
    /// <c>ORCHEST_PIPELINE_PATH</c> and <c>ORCHEST_PROJECT_DIR</c>.
    /// </summary>
    /// <exception cref="StepContextException">Neither way resolves a context; the message says what to set.</exception>
    public static StepContext Current => CurrentContext.Value;

    /// <summary>The step's uuid.</summary>
    public string StepUuid { get; }

    /// <summary>The step's title.</summary>
    public string StepTitle { get; }

    /// <summary>The pipeline's uuid.</summary>
    public string PipelineUuid { get; }

    /// <summary>The run's id, or null in an Orchest-style invocation without <c>ORCHEST_RUN_UUID</c>.</summary>
    public string? RunUuid { get; }

    /// <summary>1 for the first attempt, 2 for the first retry, and so on.</summary>
    public int Attempt { get; }

    /// <summary>The step's parameters as JSON values (read them typed with <see cref="GetStepParam{T}"/>).</summary>
    public IReadOnlyDictionary<string, JsonElement> StepParameters { get; }

    /// <summary>The pipeline's parameters as JSON values (read them typed with <see cref="GetPipelineParam{T}"/>).</summary>
    public IReadOnlyDictionary<string, JsonElement> PipelineParameters { get; }

    /// <summary>Reads a step context file (PROTOCOL.md §2) at an explicit path.</summary>
    /// <param name="contextFilePath">The context file's path.</param>
    /// <returns>The context the file describes.</returns>
    /// <exception cref="StepContextException">The file is missing, not valid JSON, of a newer protocol or lacks a required field.</exception>
    public static StepContext Load(string contextFilePath) => StepContextFile.Read(contextFilePath);

    /// <summary>
    /// Resolves the context from this process's environment, as <see cref="Current"/> does, but anew on
    /// every call.
    /// </summary>
    /// <returns>The resolved context.</returns>
    /// <exception cref="StepContextException">Neither way resolves a context; the message says what to set.</exception>
    public static StepContext FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable);

    internal static StepContext FromEnvironment(Func<string, string?> variable)
    {
        var contextPath = variable(ContextVariable);
        return string.IsNullOrEmpty(contextPath) ? OrchestFallback.Resolve(variable) : Load(contextPath);
    }

    /// <summary>A step parameter converted to <typeparamref name="T"/>, or <paramref name="defaultValue"/> when the step has no such parameter.</summary>
    /// <typeparam name="T">The type to read the parameter as (a number, string, bool, list, dictionary, record, <see cref="JsonElement"/>, ...).</typeparam>
    /// <param name="name">The parameter's name.</param>
    /// <param name="defaultValue">The value to return when the parameter is not set.</param>
    /// <returns>The parameter's value, or the default.</returns>
    /// <exception cref="InvalidCastException">The parameter's JSON value does not convert to <typeparamref name="T"/>.</exception>
    [return: NotNullIfNotNull(nameof(defaultValue))]
    public T? GetStepParam<T>(string name, T? defaultValue = default) =>
        GetParameter(StepParameters, "Step", name, defaultValue);

    /// <summary>A pipeline parameter converted to <typeparamref name="T"/>, or <paramref name="defaultValue"/> when the pipeline has no such parameter.</summary>
    /// <typeparam name="T">The type to read the parameter as (a number, string, bool, list, dictionary, record, <see cref="JsonElement"/>, ...).</typeparam>
    /// <param name="name">The parameter's name.</param>
    /// <param name="defaultValue">The value to return when the parameter is not set.</param>
    /// <returns>The parameter's value, or the default.</returns>
    /// <exception cref="InvalidCastException">The parameter's JSON value does not convert to <typeparamref name="T"/>.</exception>
    [return: NotNullIfNotNull(nameof(defaultValue))]
    public T? GetPipelineParam<T>(string name, T? defaultValue = default) =>
        GetParameter(PipelineParameters, "Pipeline", name, defaultValue);

    /// <summary>Describes the step for logs.</summary>
    /// <returns>The step's title and uuid.</returns>
    public override string ToString() => $"Step \"{StepTitle}\" (\"{StepUuid}\")";

    private static T? GetParameter<T>(IReadOnlyDictionary<string, JsonElement> parameters, string kind, string name, T? defaultValue)
    {
        if (!parameters.TryGetValue(name, out var value))
        {
            return defaultValue;
        }

        try
        {
            return value.Deserialize<T>(StepJson.Options);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            throw new InvalidCastException(
                $"{kind} parameter \"{name}\" is {value.GetRawText()} ({value.ValueKind}), which cannot be read as {typeof(T).Name}.", ex);
        }
    }
}

/// <summary>An incoming step as the context names it; <paramref name="Location"/> is null when it never produced a committed output set.</summary>
internal sealed record IncomingStep(string StepUuid, string Title, OutputSetLocation? Location);
