using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orchest.Functions.Azure.Http;
using Orchest.Functions.Azure.Tests.Support;

namespace Orchest.Functions.Azure.Tests;

/// <summary>
/// The HTTP triggers run serve's handlers with serve's binding and limits. Requests that need no storage
/// are answered here in-process by the trigger methods, as the worker would answer the host.
/// </summary>
public sealed class ApiHandlersTests : IDisposable
{
    private readonly IHost _host = WorkerServices.Build(new() { ["Orchest:MaxRequestBodyBytes"] = "1000" });
    private readonly IServiceScope _scope;

    public ApiHandlersTests() => _scope = _host.Services.CreateScope();

    [Fact]
    public async Task Health_AnswersWithTheRoles()
    {
        var (status, body) = await InvokeAsync("GET", "", http => Function<HealthFunction>().GetAsync(http.Request));

        Assert.Equal(200, status);
        Assert.Equal("ok", body.GetProperty("status").GetString());
        Assert.Equal("api,worker,timers", body.GetProperty("roles").GetString());
    }

    [Fact]
    public async Task GetRun_NotARunId_Answers404WithoutReadingStorage()
    {
        var (status, body) = await InvokeAsync("GET", "", http => Function<RunsFunctions>().GetAsync(http.Request, "not-a-run"));

        Assert.Equal(404, status);
        Assert.Equal("Run \"not-a-run\" does not exist.", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ListRuns_BadQuery_Answers400ListingEveryProblem()
    {
        var (status, body) = await InvokeAsync(
            "GET", "?page_size=0&status=DONE", http => Function<RunsFunctions>().ListAsync(http.Request, "p"));

        Assert.Equal(400, status);
        var errors = body.GetProperty("errors").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal(2, errors.Count);
        Assert.Contains("\"page_size\" must be between 1 and 200.", errors);
    }

    [Fact]
    public async Task ListRuns_QueryOfTheWrongType_ThrowsTheBadRequestServeMapsTo400()
    {
        // ApiErrorMiddleware hands this to serve's ApiExceptionHandler, as UseExceptionHandler does in serve.
        await Assert.ThrowsAsync<BadHttpRequestException>(() =>
            InvokeAsync("GET", "?page_size=many", http => Function<RunsFunctions>().ListAsync(http.Request, "p")));
    }

    [Fact]
    public async Task CreateProject_BodyOverTheLimit_Answers413BeforeAnythingRuns()
    {
        var (status, body) = await InvokeAsync(
            "POST", "", http => Function<ProjectsFunctions>().CreateAsync(http.Request), new string('x', 2000));

        Assert.Equal(413, status);
        Assert.Contains("Orchest:MaxRequestBodyBytes", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _scope.Dispose();
        _host.Dispose();
    }

    private T Function<T>() => ActivatorUtilities.CreateInstance<T>(_scope.ServiceProvider);

    private async Task<(int Status, JsonElement Body)> InvokeAsync(string method, string query, Func<HttpContext, Task<IResult>> trigger, string? body = null)
    {
        var http = new DefaultHttpContext { RequestServices = _scope.ServiceProvider };
        http.Request.Method = method;
        http.Request.QueryString = new QueryString(query.Length == 0 ? null : query);
        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            http.Request.Body = new MemoryStream(bytes);
            http.Request.ContentLength = bytes.Length;
            http.Request.ContentType = "application/json";
        }

        var response = new MemoryStream();
        http.Response.Body = response;
        var result = await trigger(http);
        await result.ExecuteAsync(http);
        return (http.Response.StatusCode, JsonDocument.Parse(response.ToArray()).RootElement.Clone());
    }
}
