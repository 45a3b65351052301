using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Orchest.Sdk;

/// <summary>
/// A write-only stream that uploads one block blob without ever holding the whole payload: bytes
/// gather in a block-sized buffer and each full block goes up with Put Block while the next one
/// fills (at most two blocks in memory). Nothing is visible until <see cref="CommitAsync"/>: one Put
/// Blob when everything fit in one block, otherwise the last block and Put Block List. Disposing
/// without committing leaves only uncommitted blocks, which the service discards.
/// </summary>
internal sealed class BlockUploadStream : Stream
{
    private readonly Uri _blob;
    private readonly string _what;
    private readonly int _blockSize;
    private readonly string _uploadId = Convert.ToHexString(RandomNumberGenerator.GetBytes(6));
    private readonly List<string> _blockIds = [];
    private byte[]? _buffer;
    private byte[]? _spare;
    private int _fill;
    private long _length;
    private Task? _inFlight;
    private bool _committed;

    public BlockUploadStream(Uri blob, string what, int blockSize)
    {
        _blob = blob;
        _what = what;
        _blockSize = blockSize;
        _buffer = ArrayPool<byte>.Shared.Rent(blockSize);
    }

    /// <summary>How many Put Block requests the upload made (0 when it was one Put Blob).</summary>
    public int BlockCount => _blockIds.Count;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_committed && _buffer is not null;

    public override long Length => _length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        EnsureWritable();
        while (buffer.Length > 0)
        {
            var take = Math.Min(_blockSize - _fill, buffer.Length);
            buffer[..take].CopyTo(_buffer.AsMemory(_fill));
            _fill += take;
            _length += take;
            buffer = buffer[take..];
            if (_fill == _blockSize)
            {
                await StartBlockAsync(cancellationToken);
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        EnsureWritable();
        while (buffer.Length > 0)
        {
            var take = Math.Min(_blockSize - _fill, buffer.Length);
            buffer[..take].CopyTo(_buffer.AsSpan(_fill));
            _fill += take;
            _length += take;
            buffer = buffer[take..];
            if (_fill == _blockSize)
            {
                // Synchronous writers are rare here (the SDK's serialisers write asynchronously).
                StartBlockAsync(CancellationToken.None).GetAwaiter().GetResult();
            }
        }
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Waits for the block upload in flight, if any (errors surface here).</summary>
    public async Task UploadPendingBlocksAsync(CancellationToken cancellationToken)
    {
        if (_inFlight is { } inFlight)
        {
            _inFlight = null;
            await inFlight.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Makes the payload visible: Put Blob, or the last block and Put Block List. Returns the size.</summary>
    public async Task<long> CommitAsync(CancellationToken cancellationToken)
    {
        EnsureWritable();
        await UploadPendingBlocksAsync(cancellationToken);
        if (_blockIds.Count == 0)
        {
            var buffer = _buffer;
            var fill = _fill;
            await BlobRest.SendAndForgetAsync(
                () => BlobRest.Request(HttpMethod.Put, _blob, new ByteArrayContent(buffer, 0, fill), blobType: "BlockBlob", contentType: "application/octet-stream"),
                "Put Blob for the " + _what,
                cancellationToken);
        }
        else
        {
            if (_fill > 0)
            {
                await PutBlockAsync(_buffer, _fill, NextBlockId(), cancellationToken);
            }

            var list = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>");
            foreach (var id in _blockIds)
            {
                list.Append("<Latest>").Append(id).Append("</Latest>");
            }

            var body = Encoding.UTF8.GetBytes(list.Append("</BlockList>").ToString());
            await BlobRest.SendAndForgetAsync(
                () => BlobRest.Request(HttpMethod.Put, WithParameters("comp=blocklist"), new ByteArrayContent(body), contentType: "application/octet-stream"),
                "Put Block List for the " + _what,
                cancellationToken);
        }

        _committed = true;
        ReturnBuffers();
        return _length;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (_inFlight is { } inFlight)
        {
            _inFlight = null;
            try
            {
                await inFlight;
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException)
            {
                // The upload is abandoned; its error was reported (or the write failed first).
            }
        }

        ReturnBuffers();
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _inFlight is null)
        {
            ReturnBuffers();
        }

        base.Dispose(disposing);
    }

    /// <summary>Sends the full buffer as the next block, in the background, and fills the other buffer meanwhile.</summary>
    private async Task StartBlockAsync(CancellationToken cancellationToken)
    {
        await UploadPendingBlocksAsync(cancellationToken);
        var full = _buffer!;
        var id = NextBlockId();
        _inFlight = PutBlockAsync(full, _blockSize, id, cancellationToken);
        _buffer = _spare ?? ArrayPool<byte>.Shared.Rent(_blockSize);
        _spare = full;
        _fill = 0;
    }

    /// <summary>Equal-length ids (Azure requires it): a random upload id and the block's index.</summary>
    private string NextBlockId()
    {
        var id = Convert.ToBase64String(Encoding.ASCII.GetBytes($"{_uploadId}-{_blockIds.Count.ToString("D6", CultureInfo.InvariantCulture)}"));
        _blockIds.Add(id);
        return id;
    }

    private Task PutBlockAsync(byte[] data, int count, string id, CancellationToken cancellationToken) =>
        BlobRest.SendAndForgetAsync(
            () => BlobRest.Request(HttpMethod.Put, WithParameters("comp=block&blockid=" + Uri.EscapeDataString(id)), new ByteArrayContent(data, 0, count)),
            $"Put Block {_blockIds.IndexOf(id)} for the {_what}",
            cancellationToken);

    private Uri WithParameters(string parameters)
    {
        var text = _blob.OriginalString;
        var question = text.IndexOf('?', StringComparison.Ordinal);
        return question < 0
            ? new Uri($"{text}?{parameters}")
            : new Uri($"{text[..question]}?{parameters}&{text[(question + 1)..]}");
    }

    [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(_buffer))]
    private void EnsureWritable()
    {
        ObjectDisposedException.ThrowIf(_buffer is null, this);
        if (_committed)
        {
            throw new InvalidOperationException("The blob is already committed.");
        }
    }

    private void ReturnBuffers()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }

        if (_spare is not null)
        {
            ArrayPool<byte>.Shared.Return(_spare);
            _spare = null;
        }
    }
}
