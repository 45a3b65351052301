using Orchest.Runners.Docker.Services;

namespace Orchest.Runners.Docker.Tests;

public sealed class ArgumentSplitterTests
{
    [Theory]
    [InlineData("", new string[0])]
    [InlineData("  a   b ", new[] { "a", "b" })]
    [InlineData("-c 'umask 002 && streamlit run src/app.py'", new[] { "-c", "umask 002 && streamlit run src/app.py" })]
    [InlineData("--name=\"a b\" c\\ d", new[] { "--name=a b", "c d" })]
    [InlineData("\"say \\\"hi\\\"\" 'it''s'", new[] { "say \"hi\"", "its" })]
    public void Split_LikeShlex(string text, string[] expected) =>
        Assert.Equal(expected, ArgumentSplitter.Split(text));

    [Fact]
    public void Split_UnclosedQuote_SaysSo()
    {
        var ex = Assert.Throws<FormatException>(() => ArgumentSplitter.Split("-c 'echo hi"));

        Assert.Equal("no closing quotation (') in \"-c 'echo hi\"", ex.Message);
    }
}
