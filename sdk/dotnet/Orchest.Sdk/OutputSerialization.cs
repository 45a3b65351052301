namespace Orchest.Sdk;

/// <summary>How an output's payload is encoded (the <c>serialization</c> field of its metadata, PROTOCOL.md §3).</summary>
public enum OutputSerialization
{
    /// <summary>A serialisation this SDK version does not know; reading the value fails with <see cref="OutputNotReadableException"/>.</summary>
    Unknown = 0,

    /// <summary><c>JSON</c>: UTF-8 JSON text. Read it with <see cref="InputValue.AsJson"/> or <see cref="InputValue.Deserialize{T}"/>.</summary>
    Json,

    /// <summary><c>ARROW_TABLE</c>: an Arrow IPC stream of any number of batches. Read it with <see cref="InputValue.ReadArrowAsync"/>.</summary>
    ArrowTable,

    /// <summary><c>ARROW_BATCH</c>: an Arrow IPC stream with one batch. Read it with <see cref="InputValue.ReadArrowAsync"/>.</summary>
    ArrowBatch,

    /// <summary><c>PICKLE</c>: a Python pickle, which .NET cannot read; the producing step should output JSON or Arrow instead.</summary>
    Pickle,
}
