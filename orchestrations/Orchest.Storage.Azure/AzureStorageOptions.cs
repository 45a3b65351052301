namespace Orchest.Storage.Azure;

/// <summary>
/// Where served mode keeps its state (DESIGN §5): the storage account and the names of its tables and
/// containers (the Durable Task hub's own tables, queues and containers are named by the task hub). Bound from configuration by <see cref="AzureStorageServiceCollectionExtensions.AddOrchestAzureStorage"/>.
/// </summary>
public sealed class AzureStorageOptions
{
    /// <summary>Configuration key of the connection string (the Azure Functions name).</summary>
    public const string ConnectionStringKey = "AzureWebJobsStorage";

    /// <summary>Configuration section of the other settings.</summary>
    public const string SectionName = "Orchest:Storage";

    /// <summary>Configuration key of the explicit secrets key.</summary>
    public const string SecretsKeyKey = "Orchest:SecretsKey";

    public string ConnectionString { get; set; } = "UseDevelopmentStorage=true";

    /// <summary>Prepended to every table, queue and container name (lower-case letters and digits; tests use a unique one).</summary>
    public string NamePrefix { get; set; } = "";

    public string RunsTable { get; set; } = "orchestruns";
    public string RunIndexTable { get; set; } = "orchestrunindex";

    /// <summary>Jobs: definitions, states, history and the runs each started (a partition per job), and a per-project listing.</summary>
    public string JobsTable { get; set; } = "orchestjobs";

    /// <summary>
    /// Output sets only: steps get SAS tokens for this container, so nothing else may live in it.
    /// </summary>
    public string Container { get; set; } = "orchest";

    /// <summary>Blobs no step may see: run definitions, logs, executed notebooks.</summary>
    public string StateContainer { get; set; } = "orchest-state";

    /// <summary>How long the SAS of a step location stays valid (longer than the longest step).</summary>
    public TimeSpan SasLifetime { get; set; } = TimeSpan.FromHours(6);

    /// <summary>
    /// Base64 of 32 bytes encrypting environment variable values (<c>Orchest:SecretsKey</c>). When set it
    /// wins; otherwise the key is derived from the connection string's account key.
    /// </summary>
    public string? SecretsKey { get; set; }

    /// <summary>Local folder for files a step leaves on this host before they are uploaded (executed notebooks).</summary>
    public string LocalDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "orchest-served");

    internal string Table(string name) => NamePrefix + name;

    internal string Resource(string name) => NamePrefix.Length == 0 ? name : NamePrefix + "-" + name;

    /// <summary>Every problem with these options, each saying what to set; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            problems.Add($"Set {ConnectionStringKey} to an Azure Storage connection string (\"UseDevelopmentStorage=true\" for Azurite).");
        }
        else if (!StorageConnectionString.TryParse(ConnectionString, out _, out var error))
        {
            problems.Add($"{ConnectionStringKey} is not a usable connection string: {error}");
        }

        if (NamePrefix.Length > 20 || !NamePrefix.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c))
            || (NamePrefix.Length > 0 && !char.IsAsciiLetterLower(NamePrefix[0])))
        {
            problems.Add($"{SectionName}:NamePrefix must be at most 20 lower-case letters and digits, starting with a letter.");
        }

        foreach (var (key, value) in new[] { (nameof(RunsTable), RunsTable), (nameof(RunIndexTable), RunIndexTable), (nameof(JobsTable), JobsTable) })
        {
            if (value.Length < 3 || !value.All(char.IsAsciiLetterOrDigit) || !char.IsAsciiLetter(value[0]))
            {
                problems.Add($"{SectionName}:{key} must be a table name: letters and digits, starting with a letter, at least 3 characters.");
            }
        }

        foreach (var (key, value) in new[] { (nameof(Container), Container), (nameof(StateContainer), StateContainer) })
        {
            if (value.Length < 3 || !value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                problems.Add($"{SectionName}:{key} must be lower-case letters, digits and hyphens, at least 3 characters.");
            }
        }

        if (SasLifetime < TimeSpan.FromMinutes(5))
        {
            problems.Add($"{SectionName}:SasLifetime must be at least 00:05:00 (it must outlast the longest step).");
        }

        if (!string.IsNullOrEmpty(SecretsKey) && !IsKey(SecretsKey))
        {
            problems.Add($"{SecretsKeyKey} must be the base64 encoding of exactly 32 bytes (e.g. `openssl rand -base64 32`).");
        }

        return problems;
    }

    private static bool IsKey(string base64)
    {
        var buffer = new byte[64];
        return Convert.TryFromBase64String(base64, buffer, out var written) && written == 32;
    }
}
