using Orchest.Functions.Hosting;

var app = FunctionHost.Build(args);
await app.RunAsync();

/// <summary>Entry point type, public so tests can host it with WebApplicationFactory.</summary>
public partial class Program;
