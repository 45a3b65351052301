namespace Orchest.Benchmarks.Scenarios;

/// <summary>Every scenario, in table order.</summary>
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
}
