using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Orchest.Pipelines.Json;
using Orchest.Pipelines.Reading;

namespace Orchest.Pipelines.Migrations;

/// <summary>
/// 1.2.1 to 1.2.2: service names become valid Kubernetes name prefixes: lower-cased, leading
/// characters other than a-z dropped, at most 26 characters; the key in "services" follows the name
/// (a renamed service moves to the end, as in Orchest), and a service without a name gets "".
/// </summary>
/// <remarks>
/// Deliberate deviation: Orchest's collision check compared every renamed service with itself, so every
/// renamed service got a random uuid4()[:26] name. We give the fallback name only on a real collision
/// (two services normalising to the same name, or onto an existing key), and derive it from the old
/// name so that a file migrates the same way every time it is read.
/// </remarks>
internal static class ServiceNames
{
    private const int MaxLength = 26;

    public static void Migrate(ServiceSet services)
    {
        if (services.Object is not { } all)
        {
            return;
        }

        var changes = new List<(string Key, string OldName, string NewName)>();
        foreach (var (key, service) in services.Entries)
        {
            if (!service.ContainsKey("name"))
            {
                service["name"] = "";
            }
            else if (!JsonText.TryGetString(service["name"], out var oldName))
            {
                services.Report(key, "name", $"name must be a string, got {ProblemText.Value(service["name"])}.");
            }
            else if (Normalise(oldName) is var newName && newName != oldName)
            {
                changes.Add((key, oldName, newName));
            }
        }

        var kept = all.Select(e => e.Key).Except(changes.Select(c => c.Key), StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
        var targets = changes.GroupBy(c => c.NewName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        foreach (var (key, oldName, newName) in changes)
        {
            var name = targets[newName] > 1 || kept.Contains(newName) ? Fallback(oldName) : newName;

            // Orchest looked the service up by its old name; a key that differs from the name made it fail.
            if (key != oldName)
            {
                services.Report(key, "name", $"name \"{oldName}\" differs from the service's key, so it could not be renamed to \"{name}\".");
                continue;
            }

            var service = all[key]!;
            all.Remove(key);
            service["name"] = name;
            all[name] = service;
        }
    }

    public static string Normalise(string name)
    {
        var lowered = name.ToLowerInvariant();
        var start = 0;
        while (start < lowered.Length && !char.IsAsciiLetterLower(lowered[start]))
        {
            start++;
        }

        return lowered.Substring(start, Math.Min(MaxLength, lowered.Length - start));
    }

    /// <summary>A uuid-shaped name, like Orchest's uuid4()[:26], but stable for a given old name.</summary>
    public static string Fallback(string oldName)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(oldName));
        return new Guid(hash.AsSpan(0, 16)).ToString("D")[..MaxLength];
    }
}
