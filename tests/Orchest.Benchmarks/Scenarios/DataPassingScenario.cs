using System.Globalization;
using Orchest.Benchmarks.Workloads;

namespace Orchest.Benchmarks.Scenarios;

/// <summary>
/// A large output passed from one Python step to the next. Orchest passes it through the step SDK
/// (bytes are not JSON-able, so it is pickled, as without pyarrow); peers pass the same bytes through
/// a file with pickle.dump/load in the same Python, which is what a make or Snakemake user would write.
/// </summary>
public sealed class DataPassingScenario : IScenario
{
    public string Name => "data256";
    public string Description => "a large bytes output passed between two Python steps (orchest: step SDK, pickled; peers: pickle file)";
    public ScenarioKind Kind => ScenarioKind.Dag;
    public string? Unavailable => null;

    public Workload Build(ScenarioSizes sizes)
    {
        var size = ((long)sizes.DataMegabytes * 1024 * 1024).ToString(CultureInfo.InvariantCulture);
        const string Producer = "s001";
        const string Consumer = "s002";
        var produceWithFile = $"""
            import pickle
            data = bytes({size})
            with open("{Producer}.pkl", "wb") as f:
                pickle.dump(data, f, protocol=pickle.DEFAULT_PROTOCOL)
            """;
        var consumeWithFile = $"""
            import pickle
            with open("{Producer}.pkl", "rb") as f:
                data = pickle.load(f)
            assert len(data) == {size}, len(data)
            """;
        var produceWithSdk = $"""
            import orchest
            orchest.output(bytes({size}), name="payload")
            """;
        var consumeWithSdk = $"""
            import orchest
            data = orchest.get_inputs()["payload"]
            assert len(data) == {size}, len(data)
            """;
        return new Workload(Name,
        [
            new WorkStep(Producer, StepKind.Python, [], produceWithFile + "\n", produceWithSdk + "\n"),
            new WorkStep(Consumer, StepKind.Python, [Producer], consumeWithFile + "\n", consumeWithSdk + "\n"),
        ]);
    }
}
