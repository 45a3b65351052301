using Azure.Storage.Blobs;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using Orchest.Storage.Azure;

namespace Orchest.Functions.Ui;

/// <summary>What the web UI needs besides the API's services: page rendering, antiforgery, its readers.</summary>
public static class UiServices
{
    /// <summary>The blob service version the storage adapters use too (one that Azurite 3.37 knows).</summary>
    private const BlobClientOptions.ServiceVersion BlobVersion = BlobClientOptions.ServiceVersion.V2026_06_06;

    public static IServiceCollection AddOrchestUi(this IServiceCollection services)
    {
        // Razor components render the pages on the server only (RazorComponentResult): no Blazor circuit, no WebAssembly.
        services.AddRazorComponents();
        services.AddAntiforgery(ConfigureAntiforgery);
        services.AddDataProtection().SetApplicationName("orchest");
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<AzureStorageOptions>>((keys, storage) =>
            keys.XmlRepository = new UiKeyRing(new BlobServiceClient(storage.Value.ConnectionString, new BlobClientOptions(BlobVersion))
                .GetBlobContainerClient(UiKeyRing.ContainerName(storage.Value.NamePrefix))));
        services.AddSingleton<NotebookReader>();
        services.AddSingleton<PipelineLayouts>();
        return services;
    }

    private static void ConfigureAntiforgery(AntiforgeryOptions options)
    {
        options.Cookie.Name = "orchest-form";
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Strict;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.FormFieldName = "__form";
    }
}
