using System.Text.Json;
using System.Text.Json.Nodes;
using Orchest.Engine.Projects;

namespace Orchest.Cli;

/// <summary>
/// A run recorded under <c>&lt;project&gt;/.orchest/runs/&lt;run&gt;/</c>. <see cref="Record"/> is its
/// <c>run.json</c> (what <c>orchest run --json</c> printed), null while it runs or when orchest was
/// killed before writing it.
/// </summary>
internal sealed record LocalRun(string Id, JsonObject? Record, DateTimeOffset Created)
{
    public string? Status => (string?)Record?["status"];

    public string? Pipeline => (string?)Record?["pipeline"];

    public DateTimeOffset? Started => (DateTimeOffset?)Record?["started"];

    public DateTimeOffset? Finished => (DateTimeOffset?)Record?["finished"];

    public IEnumerable<JsonObject> Steps => Record?["steps"]?.AsArray().OfType<JsonObject>() ?? [];

    /// <summary>The project's runs, newest first.</summary>
    public static IReadOnlyList<LocalRun> ReadAll(ProjectFolder project)
    {
        var runs = Path.Combine(project.OrchestDirectory, "runs");
        if (!Directory.Exists(runs))
        {
            return [];
        }

        return Directory.EnumerateDirectories(runs)
            .Select(Read)
            .OrderByDescending(r => r.Created)
            .ThenByDescending(r => r.Id, StringComparer.Ordinal)
            .ToList();
    }

    private static LocalRun Read(string directory)
    {
        var id = Path.GetFileName(directory);
        var file = Path.Combine(directory, "run.json");
        JsonObject? record = null;
        try
        {
            record = File.Exists(file) ? JsonNode.Parse(File.ReadAllText(file)) as JsonObject : null;
        }
        catch (JsonException)
        {
            // Written atomically, so only a hand-edited record gets here: listed like an unfinished run.
        }

        var created = (DateTimeOffset?)record?["created"] ?? new DateTimeOffset(Directory.GetCreationTimeUtc(directory), TimeSpan.Zero);
        return new LocalRun(id, record, created);
    }
}
