using System.Text;
using Orchest.Runners.Output;

namespace Orchest.Runners.Tests;

public sealed class LineAssemblerTests
{
    [Fact]
    public void Add_FramesSplittingLinesAndCharacters_YieldsWholeLines()
    {
        var bytes = Encoding.UTF8.GetBytes("first line\r\nsecond: café ☕\nthird");
        var assembler = new LineAssembler();
        var lines = new List<string>();

        // One byte per frame: every line and every multi-byte character spans frames.
        foreach (var b in bytes)
        {
            lines.AddRange(assembler.Add([b]));
        }

        Assert.Equal(["first line", "second: café ☕"], lines);
        Assert.Equal("third", assembler.Flush());
        Assert.Null(assembler.Flush());
    }

    [Fact]
    public void Add_OneFrameWithManyLines_YieldsEachLineInOrder()
    {
        var assembler = new LineAssembler();

        var lines = assembler.Add(Encoding.UTF8.GetBytes("a\nb\n\nc\n"));

        Assert.Equal(["a", "b", "", "c"], lines);
        Assert.Null(assembler.Flush());
    }
}
