using System.Text;

namespace Orchest.Functions.Ui.Tests;

/// <summary>The log tail sends whole characters: a read that ends inside one resumes at its first byte.</summary>
public sealed class Utf8TextTests
{
    [Theory]
    [InlineData("abc", 0, 3)]
    [InlineData("aé", 1, 1)]
    [InlineData("a€", 1, 1)]
    [InlineData("a€", 2, 1)]
    [InlineData("a😀", 1, 1)]
    [InlineData("a😀", 3, 1)]
    [InlineData("a😀", 0, 5)]
    public void CompleteLength_TextCutBytesBeforeItsEnd_StopsBeforeTheCutCharacter(string text, int cut, int expected)
    {
        var bytes = Encoding.UTF8.GetBytes(text);

        Assert.Equal(expected, Utf8Text.CompleteLength(bytes.AsSpan(0, bytes.Length - cut)));
    }

    [Fact]
    public void Decode_CutAtTheStart_DropsTheOrphanedContinuationBytes()
    {
        var bytes = Encoding.UTF8.GetBytes("€uro");

        Assert.Equal("uro", Utf8Text.Decode(bytes.AsSpan(1), skipLeadingContinuation: true));
    }
}
