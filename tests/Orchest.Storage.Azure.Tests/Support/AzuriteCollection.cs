using Orchest.Testing;

namespace Orchest.Storage.Azure.Tests.Support;

/// <summary>Every test class that needs Azurite joins this collection; Azurite starts once per test run.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
