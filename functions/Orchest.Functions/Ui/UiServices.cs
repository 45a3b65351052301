using Microsoft.AspNetCore.Antiforgery;
using Orchest.Functions.Ui.Views;

namespace Orchest.Functions.Ui;

/// <summary>What the web UI needs besides the API's services: page rendering, antiforgery, its readers.</summary>
public static class UiServices
{
    public static IServiceCollection AddOrchestUi(this IServiceCollection services)
    {
        // Razor components render the pages on the server only (RazorComponentResult): no Blazor circuit, no WebAssembly.
        services.AddRazorComponents();
        services.AddAntiforgery(ConfigureAntiforgery);
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
