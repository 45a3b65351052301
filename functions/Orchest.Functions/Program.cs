var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/api/health", () => Results.Ok(new { status = "ok" }));
await app.RunAsync();

/// <summary>Entry point type, public so tests can host it with WebApplicationFactory.</summary>
public partial class Program;
