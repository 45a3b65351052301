namespace Orchest.Storage.Azure;

/// <summary>Describes where options point without showing a key (for messages and logs).</summary>
internal static class AzureStorageOptionsDescription
{
    public static string ConnectionStringDescription(this AzureStorageOptions options)
    {
        var parsed = StorageConnectionString.Parse(options.ConnectionString);
        return $"account {parsed.AccountName ?? "(from endpoints)"}";
    }
}
