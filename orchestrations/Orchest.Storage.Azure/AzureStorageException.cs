namespace Orchest.Storage.Azure;

/// <summary>
/// A storage operation failed for a reason the caller cannot fix by retrying the transition
/// (account unreachable, authentication refused, throttled past the SDK's retries, a malformed
/// stored document). The message names the operation and the status, never a key or a SAS.
/// </summary>
public sealed class AzureStorageException : Exception
{
    public AzureStorageException(string operation, int status, string? errorCode, string detail, Exception? inner = null)
        : base($"Azure Storage: {operation} failed ({(status == 0 ? "no response" : status.ToString(System.Globalization.CultureInfo.InvariantCulture))}{(errorCode is null ? "" : " " + errorCode)}): {detail}", inner)
    {
        Operation = operation;
        Status = status;
        ErrorCode = errorCode;
    }

    /// <summary>What was attempted, with the ids involved ("commit run 0197...").</summary>
    public string Operation { get; }

    /// <summary>HTTP status of the failed request; 0 when the service was not reached.</summary>
    public int Status { get; }

    public string? ErrorCode { get; }
}
