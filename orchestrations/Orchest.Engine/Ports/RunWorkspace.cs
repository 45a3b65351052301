namespace Orchest.Engine.Ports;

/// <summary>A run's folders on this host.</summary>
/// <param name="Root">The project working copy.</param>
/// <param name="ScratchDirectory">Per-run engine files: effective pipeline, step contexts.</param>
/// <param name="DataDirectory">The shared data folder steps see as Orchest's /data.</param>
public sealed record RunWorkspace(string Root, string ScratchDirectory, string DataDirectory);
