using Orchest.Functions.Api;

namespace Orchest.Functions.Hosting;

/// <summary>
/// Builds the function host: configuration (appsettings.json, local.settings.json in the Functions
/// format, environment variables, command line), the triggers of the configured roles, and the API.
/// Used by Program.cs, by <c>orchest serve</c> and by tests.
/// </summary>
public static class FunctionHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);

        // Defaults below every other source: our own logs at Information, the framework's at Warning.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                ["Logging:LogLevel:Microsoft.Extensions.Hosting"] = "Warning",
                ["Logging:LogLevel:System.Net.Http"] = "Warning",
                ["Logging:LogLevel:Azure"] = "Warning",
                ["Logging:LogLevel:DurableTask"] = "Warning",

                // The web UI's Data Protection keys live in the storage account (Ui/UiKeyRing), unencrypted by
                // design; Data Protection warns about that once per new key.
                ["Logging:LogLevel:Microsoft.AspNetCore.DataProtection"] = "Error",
            },
        });
        var localSettings = builder.Configuration["Orchest:LocalSettingsFile"]
                            ?? Path.Combine(Directory.GetCurrentDirectory(), "local.settings.json");

        // As in Azure Functions, local.settings.json fills in what the environment does not set.
        builder.Configuration.AddLocalSettingsFile(localSettings);
        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddCommandLine(args);
        configure?.Invoke(builder);

        builder.Services.AddOrchestFunctionHost(builder.Configuration);
        var app = builder.Build();
        app.MapOrchestFunctions();
        return app;
    }
}
