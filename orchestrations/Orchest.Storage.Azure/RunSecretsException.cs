namespace Orchest.Storage.Azure;

/// <summary>
/// The environment variable values of a run cannot be decrypted: this host's secrets key differs from
/// the key of the host that created the run. Never carries a value.
/// </summary>
public sealed class RunSecretsException(string runId, string message, Exception? inner = null) : Exception(message, inner)
{
    public string RunId { get; } = runId;
}
