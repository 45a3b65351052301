using System.Net;
using System.Net.Http.Headers;

namespace Orchest.Sdk;

/// <summary>
/// A streamed Get Blob. When the connection drops mid-blob, reading resumes where it stopped with a
/// range request pinned to the blob's ETag (a bounded number of times), so a long download survives
/// a transient network failure without starting over.
/// </summary>
internal sealed class BlobDownloadStream : Stream
{
    private readonly Uri _blob;
    private readonly string _what;
    private HttpResponseMessage? _response;
    private Stream? _body;
    private EntityTagHeaderValue? _etag;
    private long? _length;
    private long _position;
    private int _resumes;

    private BlobDownloadStream(Uri blob, string what)
    {
        _blob = blob;
        _what = what;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _length ?? throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <summary>Sends the Get Blob; a missing blob fails here with <see cref="FileNotFoundException"/>.</summary>
    public static async Task<Stream> OpenAsync(Uri blob, string what, CancellationToken cancellationToken)
    {
        var stream = new BlobDownloadStream(blob, what);
        try
        {
            await stream.OpenAtAsync(0, cancellationToken);
            return stream;
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_body is null, this);
        if (buffer.Length == 0 || (_length is { } length && _position >= length))
        {
            return 0;
        }

        while (true)
        {
            int read;
            try
            {
                read = await _body!.ReadAsync(buffer, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is IOException or HttpRequestException)
            {
                await ResumeAsync(ex, cancellationToken);
                continue;
            }

            if (read == 0 && _length is { } total && _position < total)
            {
                await ResumeAsync(new IOException("the connection closed before the end of the blob"), cancellationToken);
                continue;
            }

            _position += read;
            return read;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        // Synchronous readers are rare here (the SDK's readers are asynchronous).
        var rented = System.Buffers.ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            var read = ReadAsync(rented.AsMemory(0, buffer.Length), CancellationToken.None).AsTask().GetAwaiter().GetResult();
            rented.AsSpan(0, read).CopyTo(buffer);
            return read;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Drop();
        }

        base.Dispose(disposing);
    }

    private async Task OpenAtAsync(long offset, CancellationToken cancellationToken)
    {
        var etag = _etag;
        _response = await BlobRest.SendAsync(
            () =>
            {
                var request = BlobRest.Request(HttpMethod.Get, _blob);
                if (offset > 0)
                {
                    request.Headers.Range = new RangeHeaderValue(offset, null);
                    if (etag is not null)
                    {
                        request.Headers.IfMatch.Add(etag);
                    }
                }

                return request;
            },
            _what,
            cancellationToken,
            streamBody: true);
        if (offset > 0 && _response.StatusCode != HttpStatusCode.PartialContent)
        {
            Drop();
            throw new BlobStorageException($"Blob storage ignored a range request: {_what}.", HttpStatusCode.OK);
        }

        _etag ??= _response.Headers.ETag;
        _length ??= _response.Content.Headers.ContentLength;
        _body = await _response.Content.ReadAsStreamAsync(cancellationToken);
    }

    private async Task ResumeAsync(Exception cause, CancellationToken cancellationToken)
    {
        Drop();
        _resumes++;
        if (_resumes >= BlobRest.Attempts)
        {
            throw new BlobStorageException(BlobRest.Redact(
                $"Blob storage download failed: {_what} at byte {_position}: {cause.GetType().Name}: {cause.Message}."));
        }

        await Task.Delay(BlobRest.RetryBackoff * _resumes, cancellationToken);
        await OpenAtAsync(_position, cancellationToken);
    }

    private void Drop()
    {
        _body?.Dispose();
        _body = null;
        _response?.Dispose();
        _response = null;
    }
}
