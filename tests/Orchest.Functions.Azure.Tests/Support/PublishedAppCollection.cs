namespace Orchest.Functions.Azure.Tests.Support;

/// <summary>Tests that read the published app share one publish.</summary>
[CollectionDefinition(Name)]
public sealed class PublishedAppCollection : ICollectionFixture<PublishedApp>
{
    public const string Name = "published app";
}
