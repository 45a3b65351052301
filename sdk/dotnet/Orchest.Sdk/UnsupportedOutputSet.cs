namespace Orchest.Sdk;

/// <summary>
/// A location kind this SDK cannot use (a kind from a newer engine). Creating it succeeds so a step that never touches that set still runs;
/// any use fails with a message naming the kind and whose set it is.
/// </summary>
internal sealed class UnsupportedOutputSet(string kind, string owner) : OutputSetLocation
{
    public string Kind { get; } = kind;

    public override string Description => $"a \"{Kind}\" location";

    public override Task<IReadOnlyList<StoredOutputFile>?> ListAsync(CancellationToken cancellationToken) => throw NotSupported();

    public override Task<Stream> OpenPayloadAsync(string stem, CancellationToken cancellationToken) => throw NotSupported();

    public override Task WriteAsync(
        string stem,
        OutputMetadata metadata,
        Func<Stream, CancellationToken, Task> writePayload,
        CancellationToken cancellationToken) => throw NotSupported();

    private NotSupportedException NotSupported() => new(
        $"The outputs of {owner} are at a location of kind \"{Kind}\", which this version of the .NET step SDK "
        + "(Orchest.Sdk) does not support; it supports \"dir\" (local folders) and \"blob\" "
        + "(blob storage through a SAS). Use an Orchest.Sdk version that supports this kind.");
}
