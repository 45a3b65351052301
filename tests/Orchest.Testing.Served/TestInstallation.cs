namespace Orchest.Testing.Served;

/// <summary>
/// One served installation for a test (or a chaos trial): a storage name prefix on an Azurite, the task
/// hub "orchest" + prefix, and an API key. The hosts it starts are real <c>orchest serve</c> processes,
/// each with its own git cache, data folder and host id, on short partition leases and visibility
/// timeouts so that a killed host's work moves within seconds (the production defaults take ~20 s).
/// </summary>
public sealed record TestInstallation(string ConnectionString, string Prefix, string ApiKey)
{
    /// <summary>A new installation with a unique prefix and key.</summary>
    public static TestInstallation Create(string connectionString) =>
        new(connectionString, "t" + Guid.NewGuid().ToString("n")[..12], "key-" + Guid.NewGuid().ToString("n"));

    /// <summary>The shared data folder (ORCHEST_DATA_DIR of its steps) of a host started in <paramref name="folder"/>.</summary>
    public static string DataDirectory(string folder) => Path.Combine(folder, "data");

    /// <summary>
    /// Starts <c>orchest serve --roles <paramref name="roles"/></c> named <paramref name="name"/> (its host id)
    /// with its files in <paramref name="folder"/>; <paramref name="settings"/> (<c>--Section:Key=value</c>)
    /// come last and win over the defaults.
    /// </summary>
    public Task<OrchestServeProcess> StartHostAsync(string name, string roles, string folder, params string[] settings)
    {
        Directory.CreateDirectory(folder);
        string[] arguments = [.. ServedHostArguments.For(roles, ConnectionString, Prefix, folder, name), .. settings];
        return OrchestServeProcess.StartAsync(
            name, arguments, new Dictionary<string, string?> { ["ORCHEST_API_KEY"] = ApiKey }, workingDirectory: folder);
    }
}
