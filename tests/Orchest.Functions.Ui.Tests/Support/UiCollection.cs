namespace Orchest.Functions.Ui.Tests.Support;

/// <summary>The browser tests share one world: Azurite, one `orchest serve` host and one Chromium, started once.</summary>
[CollectionDefinition(Name)]
public sealed class UiCollection : ICollectionFixture<UiWorld>
{
    public const string Name = "Browser";
}
