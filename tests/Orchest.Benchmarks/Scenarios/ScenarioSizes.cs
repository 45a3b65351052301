using System.Globalization;

namespace Orchest.Benchmarks.Scenarios;

/// <summary>Scenario sizes; parsed from <c>chain=40,fanout=1000,diamond=10x20,data=256,container=10</c> (data in MB).</summary>
public sealed record ScenarioSizes(int Chain, int FanOut, int DiamondLayers, int DiamondWidth, int DataMegabytes, int ContainerChain)
{
    public static ScenarioSizes Default { get; } = new(40, 1000, 10, 20, 256, 10);

    public static ScenarioSizes Smoke { get; } = new(3, 5, 2, 2, 1, 2);

    /// <summary>Applies <paramref name="text"/> (any subset of the keys) on top of <paramref name="defaults"/>.</summary>
    public static ScenarioSizes Parse(string? text, ScenarioSizes defaults)
    {
        var sizes = defaults;
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = part.Split('=', 2, StringSplitOptions.TrimEntries);
            var value = pair.Length == 2 ? pair[1] : throw new FormatException($"size \"{part}\" is not key=value.");
            sizes = pair[0] switch
            {
                "chain" => sizes with { Chain = Positive(value, part) },
                "fanout" => sizes with { FanOut = Positive(value, part) },
                "diamond" when value.Split('x') is [var layers, var width] =>
                    sizes with { DiamondLayers = Positive(layers, part), DiamondWidth = Positive(width, part) },
                "data" => sizes with { DataMegabytes = Positive(value, part) },
                "container" => sizes with { ContainerChain = Positive(value, part) },
                _ => throw new FormatException($"size \"{part}\" is not one of chain=N, fanout=N, diamond=LxW, data=MB, container=N."),
            };
        }

        return sizes;
    }

    public override string ToString() => FormattableString.Invariant(
        $"chain={Chain},fanout={FanOut},diamond={DiamondLayers}x{DiamondWidth},data={DataMegabytes},container={ContainerChain}");

    private static int Positive(string value, string part) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new FormatException($"size \"{part}\" needs a positive whole number.");
}
