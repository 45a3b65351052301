using System.Net;

namespace Orchest.Sdk;

/// <summary>
/// A request to blob storage (served mode's <c>blob</c> output sets) failed: refused by the service
/// (e.g. 403 for an expired SAS or a missing permission) or unreachable after retries. An
/// <see cref="IOException"/>, as a failing disk is for a local output set. The message names the
/// operation, the container URL and the blob, never the SAS query.
/// </summary>
internal sealed class BlobStorageException(string message, HttpStatusCode? statusCode = null, string? errorCode = null)
    : IOException(message)
{
    /// <summary>The HTTP status the service answered with; null when no answer came.</summary>
    public HttpStatusCode? StatusCode { get; } = statusCode;

    /// <summary>The service's error code (<c>x-ms-error-code</c>, e.g. <c>AuthorizationFailure</c>), if any.</summary>
    public string? ErrorCode { get; } = errorCode;
}
