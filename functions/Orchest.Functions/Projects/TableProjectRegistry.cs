using Azure;
using Azure.Data.Tables;

namespace Orchest.Functions.Projects;

/// <summary>
/// Registered projects in one table partition: a row per project and a row per (lower-cased) name,
/// written in one transaction so two hosts cannot register the same name twice.
/// </summary>
public sealed class TableProjectRegistry(TableClient table)
{
    private const string Partition = "project";

    /// <summary>The registry's table (git deliveries are remembered in it too, in partitions of their own).</summary>
    internal TableClient Table => table;

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default) =>
        await table.CreateIfNotExistsAsync(cancellationToken);

    public async Task CreateAsync(ProjectEntry project, CancellationToken cancellationToken = default)
    {
        var nameKey = NameKey(project.Name);
        var row = new TableEntity(Partition, "id~" + project.Id)
        {
            ["Name"] = project.Name,
            ["Repository"] = project.Repository,
            ["Branch"] = project.Branch,
            ["Credential"] = project.Credential,
            ["WebhookSecret"] = project.WebhookSecret,
            ["Created"] = project.Created,
        };
        var name = new TableEntity(Partition, nameKey) { ["ProjectId"] = project.Id };
        try
        {
            await table.SubmitTransactionAsync(
                [new TableTransactionAction(TableTransactionActionType.Add, row), new TableTransactionAction(TableTransactionActionType.Add, name)],
                cancellationToken);
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 409)
        {
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(Partition, nameKey, cancellationToken: cancellationToken);
            throw new ProjectNameTakenException(project.Name, existing.HasValue ? existing.Value!.GetString("ProjectId") : "unknown");
        }
    }

    public async Task<ProjectEntry?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!IsValidId(id))
        {
            return null;
        }

        var row = await table.GetEntityIfExistsAsync<TableEntity>(Partition, "id~" + id, cancellationToken: cancellationToken);
        return row.HasValue ? ToEntry(row.Value!) : null;
    }

    public async Task<IReadOnlyList<ProjectEntry>> ListAsync(CancellationToken cancellationToken = default)
    {
        var projects = new List<ProjectEntry>();
        // An OData filter: the SDK's LINQ translation rejects string.Compare with a StringComparison (500 on every list).
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey gt {"id~"} and RowKey lt {"id~~"}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            projects.Add(ToEntry(row));
        }

        return projects.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        if (await GetAsync(id, cancellationToken) is not { } project)
        {
            return false;
        }

        try
        {
            await table.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(Partition, "id~" + id), ETag.All),
                new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(Partition, NameKey(project.Name)), ETag.All),
            ], cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    /// <summary>Ids are generated uuids; anything else cannot name a project (and must not reach a query).</summary>
    public static bool IsValidId(string id) => Guid.TryParse(id, out _);

    private static string NameKey(string name) => "name~" + Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(name.ToLowerInvariant()));

    private static ProjectEntry ToEntry(TableEntity row) => new(
        row.RowKey["id~".Length..],
        row.GetString("Name"),
        row.GetString("Repository"),
        row.GetString("Branch"),
        row.GetString("Credential"),
        row.GetDateTimeOffset("Created") ?? DateTimeOffset.MinValue,
        row.GetString("WebhookSecret"));
}
