namespace Orchest.Benchmarks.Scenarios;

/// <summary>Every scenario, in table order: <see cref="All"/> by default, <see cref="Scale"/> only when named.</summary>
public static class ScenarioCatalog
{
    public static IReadOnlyList<IScenario> All { get; } =
    [
        new ChainScenario(),
        new FanOutScenario(),
        new WideDiamondScenario(),
        new DataPassingScenario(),
        new TriggerScenario(),
        new ContainerScenario(),
        new ContainerChainScenario(),
    ];

    /// <summary>The scale sizes of the fan-out (10,000 and 50,000 steps): minutes each, so never part of a default run.</summary>
    public static IReadOnlyList<IScenario> Scale { get; } = [new ScaleFanOutScenario(10_000), new ScaleFanOutScenario(50_000)];

    /// <summary>Every scenario that <c>--scenarios</c> can name.</summary>
    public static IEnumerable<IScenario> Known => All.Concat(Scale);
}
