namespace Orchest.Functions.Ui.Tests;

/// <summary>After signing in the browser goes back where it wanted to go, never to another site.</summary>
public sealed class UiSessionTests
{
    [Theory]
    [InlineData("/runs/01a2?step=x#step", "/runs/01a2?step=x#step")]
    [InlineData("/projects/p/runs/new?pipeline=a.orchest", "/projects/p/runs/new?pipeline=a.orchest")]
    [InlineData("//evil.example/", "/projects")]
    [InlineData("/\\evil.example/", "/projects")]
    [InlineData("https://evil.example/", "/projects")]
    [InlineData("/a\r\nSet-Cookie: x=y", "/projects")]
    [InlineData("/", "/projects")]
    [InlineData("", "/projects")]
    [InlineData(null, "/projects")]
    public void LocalReturnPath_AnyNext_IsALocalPathOrTheProjects(string? next, string expected) =>
        Assert.Equal(expected, UiSession.LocalReturnPath(next));
}
