namespace Orchest.Runners.Docker;

/// <summary>An image found on the Docker host: the name that found it, its id and its environment variables.</summary>
internal sealed record ResolvedImage(string Name, string Id, IReadOnlyList<string> Env);
