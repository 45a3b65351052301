namespace Orchest.Functions.Projects;

/// <summary>Another project already has this name (HTTP 409).</summary>
public sealed class ProjectNameTakenException(string name, string existingId)
    : Exception($"A project named \"{name}\" already exists ({existingId}).")
{
    public string Name { get; } = name;
    public string ExistingId { get; } = existingId;
}
