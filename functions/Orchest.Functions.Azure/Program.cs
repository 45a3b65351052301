using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Orchest.Functions.Azure.Hosting;
using Orchest.Functions.Azure.Http;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<ApiErrorMiddleware>();
builder.Services.AddOrchestFunctionsApp(builder.Configuration);
await builder.Build().RunAsync();
