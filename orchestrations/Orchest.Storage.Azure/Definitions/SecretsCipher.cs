using System.Security.Cryptography;
using System.Text;

namespace Orchest.Storage.Azure.Definitions;

/// <summary>
/// Encrypts environment variable values with AES-GCM under a key every host derives the same way
/// (HKDF-SHA256 from the account key, or from <c>Orchest:SecretsKey</c>). Each value is bound to its
/// run and name (associated data), so a value cannot be moved to another run or variable unnoticed.
/// </summary>
internal sealed class SecretsCipher
{
    private const string Prefix = "v1:";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly byte[] Salt = "orchest.functions/secrets"u8.ToArray();
    private readonly byte[] _key;

    private SecretsCipher(byte[] keyMaterial, string source)
    {
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, keyMaterial, 32, Salt, "run-definition/environment/v1"u8.ToArray());
        Source = source;
    }

    /// <summary>Where the key came from, for messages ("the account key", "Orchest:SecretsKey").</summary>
    public string Source { get; }

    public static SecretsCipher FromAccountKey(string accountKey) =>
        new(Convert.FromBase64String(accountKey), $"the AccountKey of {AzureStorageOptions.ConnectionStringKey}");

    public static SecretsCipher FromConfiguredKey(string base64) =>
        new(Convert.FromBase64String(base64), AzureStorageOptions.SecretsKeyKey);

    public string Encrypt(string runId, string name, string value)
    {
        var plain = Encoding.UTF8.GetBytes(value);
        var sealedValue = new byte[NonceSize + plain.Length + TagSize];
        var nonce = sealedValue.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, sealedValue.AsSpan(NonceSize, plain.Length), sealedValue.AsSpan(NonceSize + plain.Length), Associated(runId, name));
        return Prefix + Convert.ToBase64String(sealedValue);
    }

    /// <exception cref="RunSecretsException">The value was sealed under another key (or tampered with).</exception>
    public string Decrypt(string runId, string name, string sealedText)
    {
        byte[] sealedValue;
        try
        {
            sealedValue = sealedText.StartsWith(Prefix, StringComparison.Ordinal)
                ? Convert.FromBase64String(sealedText[Prefix.Length..])
                : throw new FormatException("unknown format");
        }
        catch (FormatException ex)
        {
            throw new RunSecretsException(runId, $"Run {runId}: the stored value of environment variable {name} is not in a format this host reads.", ex);
        }

        if (sealedValue.Length < NonceSize + TagSize)
        {
            throw new RunSecretsException(runId, $"Run {runId}: the stored value of environment variable {name} is truncated.");
        }

        var cipherLength = sealedValue.Length - NonceSize - TagSize;
        var plain = new byte[cipherLength];
        try
        {
            using var aes = new AesGcm(_key, TagSize);
            aes.Decrypt(sealedValue.AsSpan(0, NonceSize), sealedValue.AsSpan(NonceSize, cipherLength), sealedValue.AsSpan(NonceSize + cipherLength), plain, Associated(runId, name));
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new RunSecretsException(
                runId,
                $"Run {runId}: its environment variables cannot be decrypted with this host's secrets key (from {Source}). "
                + $"Every host must use the same {AzureStorageOptions.SecretsKeyKey}, or the same storage account key when none is set, as the host that created the run.",
                ex);
        }

        return Encoding.UTF8.GetString(plain);
    }

    private static byte[] Associated(string runId, string name) => Encoding.UTF8.GetBytes(runId + "\n" + name);
}
