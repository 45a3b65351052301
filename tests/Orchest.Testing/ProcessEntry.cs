namespace Orchest.Testing;

/// <summary>A live process found by <see cref="ProcessTable"/>: its id, its process group and its environment.</summary>
public sealed record ProcessEntry(int Pid, int ProcessGroup, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>The value of an environment variable, or null.</summary>
    public string? Variable(string name) => Environment.TryGetValue(name, out var value) ? value : null;
}
