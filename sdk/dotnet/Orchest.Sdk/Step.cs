using Apache.Arrow;

namespace Orchest.Sdk;

/// <summary>
/// The step SDK as a C# step uses it, in Orchest's terms: <c>await Step.GetInputsAsync()</c>,
/// <c>await Step.OutputAsync(value, "name")</c>, <c>Step.GetStepParam("k", 1)</c>. Every member
/// forwards to <see cref="StepContext.Current"/>, the context of the step this process runs.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Naming",
    "CA1716:Identifiers should not match keywords",
    Justification = "Step is the domain's word; the clash is only with Visual Basic's For...Step, and steps are C# files.")]
public static class Step
{
    /// <summary>The context of the step this process runs (<see cref="StepContext.Current"/>).</summary>
    /// <exception cref="StepContextException">No context can be resolved from the environment.</exception>
    public static StepContext Context => StepContext.Current;

    /// <inheritdoc cref="StepContext.GetInputsAsync"/>
    public static Task<Inputs> GetInputsAsync(CancellationToken cancellationToken = default) =>
        Context.GetInputsAsync(cancellationToken);

    /// <inheritdoc cref="StepContext.OutputAsync(object, string, CancellationToken)"/>
    public static Task OutputAsync(object? value, string? name, CancellationToken cancellationToken = default) =>
        Context.OutputAsync(value, name, cancellationToken);

    /// <inheritdoc cref="StepContext.OutputAsync(RecordBatch, string, CancellationToken)"/>
    public static Task OutputAsync(RecordBatch batch, string? name, CancellationToken cancellationToken = default) =>
        Context.OutputAsync(batch, name, cancellationToken);

    /// <inheritdoc cref="StepContext.OutputAsync(IEnumerable{RecordBatch}, string, CancellationToken)"/>
    public static Task OutputAsync(IEnumerable<RecordBatch> batches, string? name, CancellationToken cancellationToken = default) =>
        Context.OutputAsync(batches, name, cancellationToken);

    /// <inheritdoc cref="StepContext.OutputAsync(IAsyncEnumerable{RecordBatch}, string, CancellationToken)"/>
    public static Task OutputAsync(IAsyncEnumerable<RecordBatch> batches, string? name, CancellationToken cancellationToken = default) =>
        Context.OutputAsync(batches, name, cancellationToken);

    /// <inheritdoc cref="StepContext.OutputAsync(Table, string, CancellationToken)"/>
    public static Task OutputAsync(Table table, string? name, CancellationToken cancellationToken = default) =>
        Context.OutputAsync(table, name, cancellationToken);

    /// <inheritdoc cref="StepContext.GetStepParam{T}"/>
    public static T? GetStepParam<T>(string name, T? defaultValue = default) =>
        Context.GetStepParam(name, defaultValue);

    /// <inheritdoc cref="StepContext.GetPipelineParam{T}"/>
    public static T? GetPipelineParam<T>(string name, T? defaultValue = default) =>
        Context.GetPipelineParam(name, defaultValue);
}
