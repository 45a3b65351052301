namespace Orchest.Benchmarks.Contenders;

/// <summary>Every contender, in table order: orchest first, then the peers, then the raw bounds.</summary>
public static class ContenderCatalog
{
    public static IReadOnlyList<IContender> Create(string orchestPath)
    {
        var sdk = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(orchestPath))!, "sdk", "python");
        return
        [
            new OrchestCliContender(orchestPath),
            new OrchestEngineContender(noOpRunner: false, sdk),
            new OrchestEngineContender(noOpRunner: true, sdk),
            new MakeContender(),
            new SnakemakeContender(),
            new RawShellContender(),
            new RawDotnetContender(),
        ];
    }
}
