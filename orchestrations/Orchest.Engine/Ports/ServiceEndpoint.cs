namespace Orchest.Engine.Ports;

/// <summary>Where steps reach a started service: a host address and the published ports of its declared ports, in declared order.</summary>
public sealed record ServiceEndpoint(string Name, string Host, IReadOnlyList<int> Ports);
