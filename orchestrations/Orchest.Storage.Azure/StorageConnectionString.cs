namespace Orchest.Storage.Azure;

/// <summary>The parts of a storage connection string served mode needs to know about (the SDK parses the rest).</summary>
internal sealed record StorageConnectionString(string? AccountName, string? AccountKey)
{
    /// <summary>Azurite's well-known development account (public, documented by Microsoft).</summary>
    internal const string DevelopmentAccountName = "devstoreaccount1";
    internal const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>The parsed parts, or none for a string that does not parse (validation reports it).</summary>
    public static StorageConnectionString Parse(string text) =>
        TryParse(text, out var parsed, out _) ? parsed : new StorageConnectionString(null, null);

    public static bool TryParse(string text, out StorageConnectionString parsed, out string error)
    {
        parsed = new StorageConnectionString(null, null);
        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                // Never echo the part: it may be a key.
                error = "every part must be Name=Value, separated by ';'";
                return false;
            }

            parts[part[..eq]] = part[(eq + 1)..];
        }

        if (parts.TryGetValue("UseDevelopmentStorage", out var dev) && string.Equals(dev, "true", StringComparison.OrdinalIgnoreCase))
        {
            parsed = new StorageConnectionString(DevelopmentAccountName, DevelopmentAccountKey);
            error = "";
            return true;
        }

        if (!parts.ContainsKey("AccountName") && !parts.ContainsKey("BlobEndpoint") && !parts.ContainsKey("TableEndpoint"))
        {
            error = "it names no account (AccountName=...) and no endpoints (BlobEndpoint=..., QueueEndpoint=..., TableEndpoint=...)";
            return false;
        }

        var key = parts.GetValueOrDefault("AccountKey");
        if (key is not null)
        {
            var buffer = new byte[key.Length];
            if (!Convert.TryFromBase64String(key, buffer, out _))
            {
                error = "AccountKey is not base64";
                return false;
            }
        }

        parsed = new StorageConnectionString(parts.GetValueOrDefault("AccountName"), key);
        error = "";
        return true;
    }
}
