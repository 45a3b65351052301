using System.IO.Pipelines;
using System.Text;
using Orchest.Runners.Output;
using Orchest.Testing;

namespace Orchest.Runners.Tests;

public sealed class StepOutputPumpTests
{
    [Fact]
    public async Task RunAsync_TextWithoutNewline_ReachesTheLogBeforeTheOutputEnds()
    {
        var pipe = new Pipe();
        await using var log = new MemoryStepLog();
        var pump = new StepOutputPump(log) { FragmentDelay = TimeSpan.FromMilliseconds(50) }.RunAsync(pipe.Reader.AsStream());

        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes("line one\nprogress: 10%"));
        await log.WaitForAsync("progress: 10%", TimeSpan.FromSeconds(10));
        Assert.False(pump.IsCompleted);
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(" 20%\nlast"));
        await pipe.Writer.CompleteAsync();
        await pump.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["line one", "progress: 10%", " 20%", "last"], log.Lines);
    }

    [Fact]
    public async Task RunAsync_OutputHeldOpenAfterTheStep_EndsWhenAbandonedKeepingWhatWasRead()
    {
        // A process outside the step still holds the pipe: the log must close anyway.
        var pipe = new Pipe();
        await using var log = new MemoryStepLog();
        using var abandon = new CancellationTokenSource();
        var pump = new StepOutputPump(log) { FragmentDelay = TimeSpan.FromSeconds(30) }.RunAsync(pipe.Reader.AsStream(), cancellationToken: abandon.Token);

        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes("done\npartial"));
        await log.WaitForAsync("done", TimeSpan.FromSeconds(10));
        await abandon.CancelAsync();
        await pump.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["done", "partial"], log.Lines);
    }
}
