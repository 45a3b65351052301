using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orchest.Engine.Events;
using Orchest.Engine.Ports;
using Orchest.Engine.Webhooks;

namespace Orchest.Storage.Azure.Events;

public static class EventStorageServiceCollectionExtensions
{
    /// <summary>
    /// Events and webhooks on Azure Storage (after <see cref="AzureStorageServiceCollectionExtensions.AddOrchestAzureStorage"/>):
    /// the event log and outbox, subscriptions and their history, what the event stream and run-failed events
    /// read, the publisher the run projection entity calls, and the job event hook. Options from
    /// <c>Orchest:Webhooks</c>, validated at start.
    /// </summary>
    public static IServiceCollection AddOrchestAzureEvents(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new WebhookOptions();
        configuration.GetSection(WebhookOptions.Section).Bind(options);
        if (options.Validate() is { Count: > 0 } problems)
        {
            throw new OptionsValidationException(nameof(WebhookOptions), typeof(WebhookOptions), problems);
        }

        services.TryAddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<OutboxSignal>();
        services.TryAddSingleton(sp => new EventTables(sp.GetRequiredService<IOptions<AzureStorageOptions>>().Value));
        services.TryAddSingleton<TableWebhookStore>();
        services.TryAddSingleton<IWebhookSubscriptions>(sp => sp.GetRequiredService<TableWebhookStore>());
        services.TryAddSingleton<IWebhookDeliveries>(sp => sp.GetRequiredService<TableWebhookStore>());
        services.TryAddSingleton<IWebhookOutbox>(sp => sp.GetRequiredService<TableWebhookStore>());
        services.TryAddSingleton(sp => new WebhookSubscriptionCache(
            sp.GetRequiredService<IWebhookSubscriptions>(), sp.GetRequiredService<WebhookOptions>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IEventLog, TableEventLog>();
        services.TryAddSingleton<IStepLogTails>(sp => new BlobStepLogTails(sp.GetRequiredService<OrchestStorageAccount>()));
        services.TryAddSingleton<IStepAttemptFeed>(sp => new TableStepAttemptFeed(sp.GetRequiredService<OrchestStorageAccount>()));
        services.TryAddSingleton(sp => new FailedStepSummaries(sp.GetRequiredService<IStepLogTails>(), sp.GetRequiredService<IRunDefinitions>()));
        services.TryAddSingleton(sp => new CronTickRollup(sp.GetRequiredService<IJobStore>(), sp.GetRequiredService<IRunProjection>(), sp.GetRequiredService<IJobEvents>()));
        services.TryAddSingleton<IRunEventPublisher, RunEventPublisher>();
        services.TryAddSingleton<RunEventReader>();
        services.TryAddSingleton<IJobEvents, JobEventPublisher>();
        return services;
    }
}
