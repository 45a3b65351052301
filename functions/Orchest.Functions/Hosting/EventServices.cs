using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orchest.Functions.Webhooks;
using Orchest.Storage.Azure.Events;

namespace Orchest.Functions.Hosting;

/// <summary>Events and webhooks in a host of served runs (README "Events and webhooks").</summary>
public static class EventServices
{
    /// <summary>
    /// The event log, the webhook outbox and subscriptions (<c>Orchest:Webhooks</c>), the webhook target
    /// rules and HTTP client, the event stream (<c>Orchest:Events</c>). Every host registers these: the run
    /// projection entity publishes events wherever it runs, and the API reads and subscribes.
    /// </summary>
    public static IServiceCollection AddOrchestEvents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOrchestAzureEvents(configuration);
        var stream = new EventStreamOptions();
        configuration.GetSection(EventStreamOptions.Section).Bind(stream);
        if (stream.Validate() is { Count: > 0 } problems)
        {
            throw new OptionsValidationException(nameof(EventStreamOptions), typeof(EventStreamOptions), problems);
        }

        services.TryAddSingleton(stream);
        services.TryAddSingleton<WebhookTargets>();
        services.TryAddSingleton<WebhookClient>();
        return services;
    }

    /// <summary>The sender taking deliveries from the outbox (hosts that run work).</summary>
    public static IServiceCollection AddOrchestWebhookSender(this IServiceCollection services) =>
        services.AddHostedService<WebhookSender>();
}
