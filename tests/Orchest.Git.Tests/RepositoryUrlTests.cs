namespace Orchest.Git.Tests;

public sealed class RepositoryUrlTests
{
    [Theory]
    [InlineData("https://user:pass@github.com/o/r.git", "https://***@github.com/o/r.git")]
    [InlineData("cloning https://ghp_token@github.com/o/r.git failed", "cloning https://***@github.com/o/r.git failed")]
    [InlineData("ssh://git@host:2222/r.git", "ssh://***@host:2222/r.git")]
    [InlineData("https://github.com/o/r.git", "https://github.com/o/r.git")]
    [InlineData("/srv/git/r", "/srv/git/r")]
    [InlineData("git@github.com:o/r.git", "git@github.com:o/r.git")]
    public void Redact_UrlWithUserInfo_MasksIt(string text, string expected) =>
        Assert.Equal(expected, RepositoryUrl.Redact(text));

    [Fact]
    public void Redact_KnownSecrets_MasksThemAnywhere()
    {
        Assert.Equal("token *** refused (***)", RepositoryUrl.Redact("token p@ss/word refused (p%40ss%2Fword)", "p@ss/word", null));
    }

    [Theory]
    [InlineData("https://user:pass@host/r.git", true)]
    [InlineData("https://token@host/r.git", false)]
    [InlineData("https://host/r.git", false)]
    [InlineData("/srv/git/r", false)]
    public void HasEmbeddedCredentials_Url_TellsWhetherItCarriesASecret(string url, bool expected) =>
        Assert.Equal(expected, RepositoryUrl.HasEmbeddedCredentials(url));

    [Fact]
    public void Split_HttpsWithCredentials_ReturnsCleanUrlAndCredentials()
    {
        var (url, user, password) = RepositoryUrl.Split("https://al%40ice:p%3Ass@host/r.git");

        Assert.Equal("https://host/r.git", url);
        Assert.Equal("al@ice", user);
        Assert.Equal("p:ss", password);
    }

    [Theory]
    [InlineData("ssh://git@host/r.git", true)]
    [InlineData("git@github.com:o/r.git", true)]
    [InlineData("host.example:r.git", true)]
    [InlineData("https://host/r.git", false)]
    [InlineData("file:///srv/r", false)]
    [InlineData("/srv/r", false)]
    [InlineData("relative/r", false)]
    public void IsSsh_Url_RecognisesSshForms(string url, bool expected) =>
        Assert.Equal(expected, RepositoryUrl.IsSsh(url));
}
