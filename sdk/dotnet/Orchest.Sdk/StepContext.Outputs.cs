using System.Text.Json;
using Apache.Arrow;

namespace Orchest.Sdk;

public sealed partial class StepContext
{
    /// <summary>
    /// Outputs a value for the steps that follow (Orchest's <c>output(data, name)</c>). JSON-able values
    /// are written as JSON with System.Text.Json (property names in snake_case, so Python reads
    /// <c>MeanValue</c> as <c>mean_value</c>); a <see cref="RecordBatch"/>, <see cref="Table"/> or
    /// sequence of batches passed as <see cref="object"/> is written as Arrow, as by the typed overloads.
    /// Outputting a name again replaces that output. To output null, pass <c>(object?)null</c>.
    /// </summary>
    /// <param name="value">The value: null, a bool, number, string, collection, dictionary with string keys, record or other JSON-serialisable object.</param>
    /// <param name="name">The output's name, or null for the step's unnamed output.</param>
    /// <param name="cancellationToken">Stops writing; a cancelled output leaves no trace.</param>
    /// <returns>A task that completes when the output is written.</returns>
    /// <exception cref="InvalidOutputNameException">The name is <c>"unnamed"</c> or contains <c>"; "</c>; nothing is written.</exception>
    /// <exception cref="ArgumentException">The value cannot be written as strict JSON (e.g. NaN, a cycle, an unsupported type); nothing is written.</exception>
    /// <exception cref="NotSupportedException">The step's output location is of a kind this SDK does not support.</exception>
    /// <exception cref="IOException">Writing failed: a disk error, or blob storage refused the request (e.g. an expired SAS) or stayed unreachable after retries; messages never contain the SAS.</exception>
    public Task OutputAsync(object? value, string? name, CancellationToken cancellationToken = default) => value switch
    {
        RecordBatch batch => OutputAsync(batch, name, cancellationToken),
        Table table => OutputAsync(table, name, cancellationToken),
        IEnumerable<RecordBatch> batches => OutputAsync(batches, name, cancellationToken),
        IAsyncEnumerable<RecordBatch> batches => OutputAsync(batches, name, cancellationToken),
        _ => WriteAsync(name, OutputSerialization.Json, (stream, ct) => WriteJsonAsync(stream, value, name, ct), cancellationToken),
    };

    /// <summary>
    /// Outputs one record batch as an Arrow IPC stream with that batch (<c>ARROW_BATCH</c>, which
    /// Python reads as a <c>pyarrow.RecordBatch</c>). Outputting a name again replaces that output.
    /// </summary>
    /// <param name="batch">The batch; it is not disposed.</param>
    /// <param name="name">The output's name, or null for the step's unnamed output.</param>
    /// <param name="cancellationToken">Stops writing; a cancelled output leaves no trace.</param>
    /// <returns>A task that completes when the output is written.</returns>
    /// <exception cref="InvalidOutputNameException">The name is <c>"unnamed"</c> or contains <c>"; "</c>; nothing is written.</exception>
    /// <exception cref="NotSupportedException">The step's output location is of a kind this SDK does not support.</exception>
    /// <exception cref="IOException">Writing failed: a disk error, or blob storage refused the request (e.g. an expired SAS) or stayed unreachable after retries; messages never contain the SAS.</exception>
    public Task OutputAsync(RecordBatch batch, string? name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return WriteArrowAsync(name, OutputSerialization.ArrowBatch, batch.Schema, ArrowPayload.ToAsync([batch]), cancellationToken);
    }

    /// <summary>
    /// Outputs a sequence of record batches as one Arrow IPC stream (<c>ARROW_TABLE</c>, which Python
    /// reads as a <c>pyarrow.Table</c>). The batches are written one by one as they are enumerated, so
    /// a generator can produce a large table without holding it: build each batch with
    /// <c>using var batch = ...; yield return batch;</c> and it is freed once written. The first
    /// batch's schema is the table's; every batch must have the same columns.
    /// </summary>
    /// <param name="batches">At least one batch (an empty batch outputs a table without rows); they are not disposed.</param>
    /// <param name="name">The output's name, or null for the step's unnamed output.</param>
    /// <param name="cancellationToken">Stops writing; a cancelled output leaves no trace.</param>
    /// <returns>A task that completes when the output is written.</returns>
    /// <exception cref="InvalidOutputNameException">The name is <c>"unnamed"</c> or contains <c>"; "</c>; nothing is written.</exception>
    /// <exception cref="ArgumentException">The sequence is empty or its batches differ in schema; nothing is written.</exception>
    /// <exception cref="NotSupportedException">The step's output location is of a kind this SDK does not support.</exception>
    /// <exception cref="IOException">Writing failed: a disk error, or blob storage refused the request (e.g. an expired SAS) or stayed unreachable after retries; messages never contain the SAS.</exception>
    public Task OutputAsync(IEnumerable<RecordBatch> batches, string? name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        return WriteArrowAsync(name, OutputSerialization.ArrowTable, schema: null, ArrowPayload.ToAsync(batches), cancellationToken);
    }

    /// <summary>
    /// Outputs an asynchronous sequence of record batches as one Arrow IPC stream (<c>ARROW_TABLE</c>),
    /// writing each batch as it arrives, e.g. straight from another input's
    /// <see cref="InputValue.ReadArrowAsync"/>. The first batch's schema is the table's.
    /// </summary>
    /// <param name="batches">At least one batch (an empty batch outputs a table without rows); they are not disposed.</param>
    /// <param name="name">The output's name, or null for the step's unnamed output.</param>
    /// <param name="cancellationToken">Stops writing; a cancelled output leaves no trace.</param>
    /// <returns>A task that completes when the output is written.</returns>
    /// <exception cref="InvalidOutputNameException">The name is <c>"unnamed"</c> or contains <c>"; "</c>; nothing is written.</exception>
    /// <exception cref="ArgumentException">The sequence is empty or its batches differ in schema; nothing is written.</exception>
    /// <exception cref="NotSupportedException">The step's output location is of a kind this SDK does not support.</exception>
    /// <exception cref="IOException">Writing failed: a disk error, or blob storage refused the request (e.g. an expired SAS) or stayed unreachable after retries; messages never contain the SAS.</exception>
    public Task OutputAsync(IAsyncEnumerable<RecordBatch> batches, string? name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        return WriteArrowAsync(name, OutputSerialization.ArrowTable, schema: null, batches, cancellationToken);
    }

    /// <summary>
    /// Outputs an Arrow table as one Arrow IPC stream (<c>ARROW_TABLE</c>), one batch per run of aligned
    /// column chunks; the batches are slices of the table's buffers, not copies.
    /// </summary>
    /// <param name="table">The table; it is not disposed.</param>
    /// <param name="name">The output's name, or null for the step's unnamed output.</param>
    /// <param name="cancellationToken">Stops writing; a cancelled output leaves no trace.</param>
    /// <returns>A task that completes when the output is written.</returns>
    /// <exception cref="InvalidOutputNameException">The name is <c>"unnamed"</c> or contains <c>"; "</c>; nothing is written.</exception>
    /// <exception cref="NotSupportedException">The step's output location is of a kind this SDK does not support.</exception>
    /// <exception cref="IOException">Writing failed: a disk error, or blob storage refused the request (e.g. an expired SAS) or stayed unreachable after retries; messages never contain the SAS.</exception>
    public Task OutputAsync(Table table, string? name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        return WriteArrowAsync(name, OutputSerialization.ArrowTable, table.Schema, ArrowPayload.ToAsync(ArrowPayload.Batches(table)), cancellationToken);
    }

    private Task WriteArrowAsync(
        string? name,
        OutputSerialization serialization,
        Schema? schema,
        IAsyncEnumerable<RecordBatch> batches,
        CancellationToken cancellationToken) =>
        WriteAsync(name, serialization, (stream, ct) => ArrowPayload.WriteAsync(stream, schema, batches, ct), cancellationToken);

    private async Task WriteAsync(
        string? name,
        OutputSerialization serialization,
        Func<Stream, CancellationToken, Task> writePayload,
        CancellationToken cancellationToken)
    {
        OutputFormat.ValidateName(name);
        var metadata = new OutputMetadata(
            name,
            OutputFormat.ToWireName(serialization),
            Timestamp: null,
            Size: null,
            OutputMetadata.DotnetProducer);
        await _output.WriteAsync(OutputFormat.Stem(name), metadata, writePayload, cancellationToken);
    }

    private static async Task WriteJsonAsync(Stream stream, object? value, string? name, CancellationToken cancellationToken)
    {
        try
        {
            await JsonSerializer.SerializeAsync(stream, value, value?.GetType() ?? typeof(object), StepJson.Options, cancellationToken);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            var output = name is null ? "the unnamed output" : $"output \"{name}\"";
            throw new ArgumentException(
                $"The value for {output} cannot be written as JSON ({ex.Message}). Output JSON-able values "
                + "(no NaN or Infinity) or Arrow data.",
                nameof(value),
                ex);
        }
    }
}
