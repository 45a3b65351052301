using Orchest.Engine.Embedded;
using Orchest.Engine.Ports;
using Orchest.Testing;

namespace Orchest.Engine.Tests;

public sealed class LocalArtifactStoreTests : IDisposable
{
    private readonly TempProject _project = new("artifacts");

    public void Dispose() => _project.Dispose();

    /// <summary>
    /// A run's end removes the empty output sets of its succeeded steps while a step that succeeded
    /// just before may still be asking whether its own set holds anything (CI: a random DAG run failed
    /// on DirectoryNotFoundException): a set that goes while it is asked about or removed holds nothing.
    /// </summary>
    [Fact]
    public async Task HasOutputsAndDiscard_WhileTheSetIsRemovedByAnother_NeverThrow()
    {
        var store = new LocalArtifactStore(_project.OrchestDirectory);
        var key = new StepKey("p", "pipeline", "step");
        for (var i = 0; i < 400; i++)
        {
            var set = $"run-{i}-1";
            await store.PrepareOutputSetAsync(key, set);
            var location = store.LocateOutputSet(key, set);
            for (var f = 0; f < 20; f++)
            {
                Directory.CreateDirectory(Path.Combine(location.Path!, $"dir{f}"));
            }

            using var start = new Barrier(3);
            var asks = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
            {
                start.SignalAndWait();
                for (var n = 0; n < 20; n++)
                {
                    await store.HasOutputsAsync(key, set);
                }
            }));
            var discards = Task.Run(async () =>
            {
                start.SignalAndWait();
                await store.DiscardOutputSetAsync(key, set);
                await store.DiscardOutputSetAsync(key, set);
            });
            await Task.WhenAll([.. asks, discards]);
            Assert.False(await store.HasOutputsAsync(key, set));
        }
    }
}
