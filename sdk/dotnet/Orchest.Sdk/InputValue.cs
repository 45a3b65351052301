using System.Runtime.CompilerServices;
using System.Text.Json;
using Apache.Arrow;
using Apache.Arrow.Ipc;

namespace Orchest.Sdk;

/// <summary>
/// One output of an incoming step, as this step receives it. JSON values are already in memory;
/// Arrow data stays on disk until <see cref="ReadArrowAsync"/> streams it batch by batch.
/// </summary>
public sealed class InputValue
{
    private readonly OutputMetadata _metadata;
    private readonly JsonElement? _json;
    private readonly OutputSetLocation _location;
    private readonly string _stem;

    internal InputValue(string stepUuid, string stepTitle, OutputMetadata metadata, JsonElement? json, OutputSetLocation location, string stem)
    {
        StepUuid = stepUuid;
        StepTitle = stepTitle;
        _metadata = metadata;
        _json = json;
        _location = location;
        _stem = stem;
    }

    /// <summary>The uuid of the incoming step that produced this value.</summary>
    public string StepUuid { get; }

    /// <summary>The title of the incoming step that produced this value.</summary>
    public string StepTitle { get; }

    /// <summary>The name the value was output under, or null for an unnamed output.</summary>
    public string? Name => _metadata.Name;

    /// <summary>How the payload is encoded; decides which read method applies.</summary>
    public OutputSerialization Serialization => _metadata.Serialization;

    /// <summary>When the producing step output the value (UTC), or null when its metadata had no valid timestamp.</summary>
    public DateTimeOffset? Timestamp => _metadata.Timestamp;

    /// <summary>The payload size in bytes as recorded by the producer, or null when not recorded.</summary>
    public long? Size => _metadata.Size;

    /// <summary>Which SDK wrote the value (<c>python</c> or <c>dotnet</c>), or null when not recorded.</summary>
    public string? Producer => _metadata.Producer;

    /// <summary>The value as a JSON element (for <see cref="OutputSerialization.Json"/> outputs).</summary>
    /// <returns>The parsed JSON value; it stays valid after the step's other inputs are gone.</returns>
    /// <exception cref="OutputNotReadableException">The output is a pickle or of an unknown serialisation.</exception>
    /// <exception cref="InvalidOperationException">The output is Arrow data; use <see cref="ReadArrowAsync"/>.</exception>
    public JsonElement AsJson()
    {
        EnsureReadable();
        if (_json is not { } json)
        {
            throw new InvalidOperationException(
                $"{OutputNotReadableException.Describe(Name, StepTitle, StepUuid)} is Arrow data ({_metadata.SerializationName}), not JSON; read it with ReadArrowAsync().");
        }

        return json;
    }

    /// <summary>
    /// Converts the JSON value to <typeparamref name="T"/> with System.Text.Json. By default property
    /// names are matched case-insensitively against snake_case (<c>MeanValue</c> reads <c>mean_value</c>),
    /// which is how Python code usually names keys.
    /// </summary>
    /// <typeparam name="T">The type to read the value as.</typeparam>
    /// <param name="options">Serializer options to use instead of the SDK's defaults.</param>
    /// <returns>The converted value; null when the JSON value is null.</returns>
    /// <exception cref="OutputNotReadableException">The output is a pickle or of an unknown serialisation.</exception>
    /// <exception cref="InvalidOperationException">The output is Arrow data; use <see cref="ReadArrowAsync"/>.</exception>
    /// <exception cref="JsonException">The JSON value does not fit <typeparamref name="T"/>.</exception>
    public T? Deserialize<T>(JsonSerializerOptions? options = null) => AsJson().Deserialize<T>(options ?? StepJson.Options);

    /// <summary>
    /// Streams the record batches of an Arrow output (<see cref="OutputSerialization.ArrowTable"/> or
    /// <see cref="OutputSerialization.ArrowBatch"/>) from disk one at a time, so a large table is never
    /// held whole in memory. Each batch belongs to the caller, who should dispose it when done.
    /// </summary>
    /// <param name="cancellationToken">Stops the read between batches.</param>
    /// <returns>The batches in the order they were written.</returns>
    /// <exception cref="OutputNotReadableException">The output is a pickle, of an unknown serialisation, or not a valid Arrow stream.</exception>
    /// <exception cref="InvalidOperationException">The output is JSON; use <see cref="AsJson"/> or <see cref="Deserialize{T}"/>.</exception>
    public IAsyncEnumerable<RecordBatch> ReadArrowAsync(CancellationToken cancellationToken = default)
    {
        EnsureReadable();
        if (_json is not null)
        {
            throw new InvalidOperationException(
                $"{OutputNotReadableException.Describe(Name, StepTitle, StepUuid)} is JSON, not Arrow data; read it with AsJson() or Deserialize<T>().");
        }

        return ReadBatchesAsync(cancellationToken);
    }

    /// <summary>Describes the value: its name, producing step and serialisation.</summary>
    /// <returns>A one-line description for logs.</returns>
    public override string ToString() =>
        $"{OutputNotReadableException.Describe(Name, StepTitle, StepUuid)} ({_metadata.SerializationName})";

    private async IAsyncEnumerable<RecordBatch> ReadBatchesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var payload = await _location.OpenPayloadAsync(_stem, cancellationToken);
        using var reader = new ArrowStreamReader(payload, leaveOpen: true);
        while (true)
        {
            RecordBatch? batch;
            try
            {
                batch = await reader.ReadNextRecordBatchAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not BlobStorageException
                and (InvalidDataException or InvalidOperationException or EndOfStreamException or IOException or ArgumentException))
            {
                throw new OutputNotReadableException(
                    StepUuid, StepTitle, Name, _metadata.SerializationName,
                    $"{OutputNotReadableException.Describe(Name, StepTitle, StepUuid)} is not a valid Arrow IPC stream: {ex.Message}",
                    ex);
            }

            if (batch is null)
            {
                yield break;
            }

            yield return batch;
        }
    }

    private void EnsureReadable()
    {
        switch (Serialization)
        {
            case OutputSerialization.Pickle:
                throw new OutputNotReadableException(
                    StepUuid, StepTitle, Name, _metadata.SerializationName,
                    $"{OutputNotReadableException.Describe(Name, StepTitle, StepUuid)} is a Python pickle, which .NET steps cannot read. "
                    + "Change that step to output JSON-able values (None, bool, int, float, str, list, dict with str keys) "
                    + "or Arrow data (a pyarrow Table or RecordBatch, or a pandas DataFrame with pyarrow installed).");
            case OutputSerialization.Unknown:
                throw new OutputNotReadableException(
                    StepUuid, StepTitle, Name, _metadata.SerializationName,
                    $"{OutputNotReadableException.Describe(Name, StepTitle, StepUuid)} has the serialization \"{_metadata.SerializationName}\", "
                    + "which this version of the .NET step SDK does not know; the producer should output JSON or Arrow.");
        }
    }
}
