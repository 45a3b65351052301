using System.Text.Json.Nodes;
using Orchest.Pipelines.Json;
using Orchest.Pipelines.Reading;

namespace Orchest.Pipelines.Migrations;

/// <summary>
/// 1.2.0 to 1.2.1: every service gets an "order" (the UI's sort key). Reproduces Orchest's
/// _fill_missing_order including its quirks: services are stably sorted by order (missing counts as 0),
/// an order equal to the previous one is bumped by one (only adjacent repeats, so [1, 1, 1] becomes
/// [1, 2, 1]), and services without an order then get increasing numbers after the last order seen,
/// in ordinal key order.
/// </summary>
internal static class ServiceOrder
{
    public static void Migrate(ServiceSet services)
    {
        var entries = new List<(string Key, JsonObject Service, decimal? Order)>();
        foreach (var (key, service) in services.Entries)
        {
            var node = service["order"];
            if (node is null)
            {
                entries.Add((key, service, null));
            }
            else if (JsonText.TryGetNumber(node, out var order))
            {
                entries.Add((key, service, order));
            }
            else
            {
                // Orchest would have failed comparing it; leave every order untouched rather than guess.
                services.Report(key, "order", $"order must be a number, got {ProblemText.Value(node)}.");
                return;
            }
        }

        var sorted = entries.OrderBy(e => e.Order ?? 0).ToList();
        var last = -1m;
        foreach (var (_, service, order) in sorted)
        {
            if (order is not { } current)
            {
                continue;
            }

            if (current == last)
            {
                current++;
                service["order"] = JsonText.Number(current);
            }

            last = current;
        }

        foreach (var (key, service, _) in sorted.Where(e => e.Order is null).OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            last++;
            service["order"] = JsonText.Number(last);
        }
    }
}
