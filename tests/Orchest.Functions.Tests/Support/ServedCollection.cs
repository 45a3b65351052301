using Orchest.Testing;

namespace Orchest.Functions.Tests.Support;

/// <summary>Every test class here joins this collection: Azurite starts once per test run; tests isolate themselves by name prefixes.</summary>
[CollectionDefinition(Name)]
public sealed class ServedCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Served";
}
