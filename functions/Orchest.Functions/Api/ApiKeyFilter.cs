using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Orchest.Functions.Hosting;

namespace Orchest.Functions.Api;

/// <summary>Requires an API key in <c>x-functions-key</c> or <c>?code=</c>, as Azure Functions does.</summary>
internal sealed class ApiKeyFilter(IOptions<OrchestHostOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        var presented = request.Headers["x-functions-key"].FirstOrDefault() ?? request.Query["code"].FirstOrDefault();
        if (string.IsNullOrEmpty(presented))
        {
            return ApiProblems.Unauthorized("An API key is required: send it in the x-functions-key header or the code query parameter.");
        }

        if (!Accepts(options.Value, presented))
        {
            return ApiProblems.Unauthorized("The API key is not valid.");
        }

        return await next(context);
    }

    /// <summary>Whether <paramref name="presented"/> is one of the host's API keys (compared in fixed time); the web UI's sign-in checks keys the same way.</summary>
    internal static bool Accepts(OrchestHostOptions options, string presented) => options.ApiKeys.Any(key => FixedTimeEquals(key, presented));

    private static bool FixedTimeEquals(string expected, string presented) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)), SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
}
