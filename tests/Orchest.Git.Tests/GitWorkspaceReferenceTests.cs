namespace Orchest.Git.Tests;

public sealed class GitWorkspaceReferenceTests
{
    private const string Sha = "0123456789abcdef0123456789abcdef01234567";

    [Fact]
    public void Format_ThenParse_RoundTrips()
    {
        var text = GitWorkspaceReference.Format("project-1", Sha.ToUpperInvariant());

        Assert.Equal($"git:project-1@{Sha}", text);
        var parsed = GitWorkspaceReference.Parse(text);
        Assert.Equal("project-1", parsed.ProjectId);
        Assert.Equal(Sha, parsed.Commit);
    }

    [Theory]
    [InlineData("/home/me/project")]
    [InlineData("git:project-1")]
    [InlineData("git:project-1@main")]
    [InlineData("git:../escape@0123456789abcdef0123456789abcdef01234567")]
    [InlineData("git:@0123456789abcdef0123456789abcdef01234567")]
    public void Parse_NotAGitReference_ThrowsFormatException(string workspace)
    {
        Assert.Throws<FormatException>(() => GitWorkspaceReference.Parse(workspace));
        Assert.False(GitWorkspaceReference.TryParse(workspace, out _));
    }
}
