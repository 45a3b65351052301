using Microsoft.AspNetCore.Http;
using Orchest.Functions.Api;

namespace Orchest.Functions.Azure.Http;

/// <summary><c>/api/webhooks</c> (serve's <c>WebhooksApi</c>): subscriptions and their delivery history.</summary>
public sealed class WebhooksFunctions(ApiHandlers api)
{
    [Function("CreateWebhook")]
    public Task<IResult> CreateAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "webhooks")] HttpRequest request) =>
        api.InvokeAsync(request, WebhooksApi.CreateAsync);

    [Function("ListWebhooks")]
    public Task<IResult> ListAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "webhooks")] HttpRequest request) =>
        api.InvokeAsync(request, WebhooksApi.ListAsync);

    [Function("GetWebhook")]
    public Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "webhooks/{webhook}")] HttpRequest request, string webhook) =>
        api.InvokeAsync(request, WebhooksApi.GetAsync, ("webhook", webhook));

    [Function("DeleteWebhook")]
    public Task<IResult> DeleteAsync(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "webhooks/{webhook}")] HttpRequest request, string webhook) =>
        api.InvokeAsync(request, WebhooksApi.DeleteAsync, ("webhook", webhook));

    [Function("ListWebhookDeliveries")]
    public Task<IResult> ListDeliveriesAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "webhooks/{webhook}/deliveries")] HttpRequest request, string webhook) =>
        api.InvokeAsync(request, WebhooksApi.ListDeliveriesAsync, ("webhook", webhook));
}
