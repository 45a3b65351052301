using System.CommandLine;
using Microsoft.Extensions.Options;
using Orchest.Functions.Hosting;

namespace Orchest.Cli;

/// <summary>
/// <c>orchest serve</c>: hosts the function set (HTTP API, step worker, timers) on Azure Storage.
/// Any further <c>--Section:Key=value</c> arguments become configuration.
/// </summary>
internal sealed class ServeCommand : IOrchestCommand
{
    private readonly Option<string> _urls = new("--urls") { Description = "Where the HTTP API listens.", DefaultValueFactory = _ => "http://127.0.0.1:7071" };
    private readonly Option<string> _roles = new("--roles") { Description = "Triggers this host runs: api, worker, timers (comma-separated).", DefaultValueFactory = _ => "api,worker,timers" };

    public ServeCommand()
    {
        Command = new Command("serve", "Host the function set: HTTP API, queue-triggered step worker, timers (served mode).")
        {
            _urls,
            _roles,
        };
        Command.TreatUnmatchedTokensAsErrors = false;
    }

    public Command Command { get; }

    public IReadOnlyList<HelpSection> Help { get; } =
    [
        new("Configuration", [
            "Read from appsettings.json, local.settings.json (the Azure Functions format, in the current folder), "
            + "environment variables (__ separates sections) and --Section:Key=value arguments after the options:",
            "AzureWebJobsStorage\tthe storage account's connection string [default: UseDevelopmentStorage=true, Azurite on 10000-10002]",
            "ORCHEST_API_KEY\tan accepted API key (or Orchest:ApiKeys:0, :1, ...); required for the api role",
            "--Orchest:Runner=docker\tsteps in containers through DOCKER_HOST (default: local processes)",
            "--Orchest:Engine:HostParallelism=N\tsteps this host runs at once (default 4 x cores)",
            "README.md (\"Served-mode configuration\") lists every setting.",
        ]),
        HelpSection.Examples(
            "bash infra/local/azurite-service.sh start        Azurite on its default ports",
            "ORCHEST_API_KEY=dev-key orchest serve",
            "orchest serve --roles worker --Orchest:Engine:HostParallelism=2",
            "eval \"$(bash infra/local/azurite-service.sh env)\"   AzureWebJobsStorage for Azurite on other ports"),
        HelpSection.ExitCodes("0\tstopped by Ctrl-C or SIGTERM", "2\tinvalid configuration (each problem printed as \"error: ...\")"),
    ];

    public async Task<int> ExecuteAsync(ParseResult parse, TextWriter output, TextWriter error)
    {
        var roles = parse.GetValue(_roles)!;
        var unknown = roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(r => r is not ("api" or "worker" or "timers")).ToList();
        if (unknown.Count > 0)
        {
            return Problem(error, $"--roles: unknown role(s) {string.Join(", ", unknown)}; use api, worker, timers.");
        }

        string[] args = ["--urls", parse.GetValue(_urls)!, "--Orchest:Roles", roles, .. parse.UnmatchedTokens];
        try
        {
            await using var app = FunctionHost.Build(args);
            await app.RunAsync();
            return ExitCodes.Success;
        }
        catch (OptionsValidationException ex)
        {
            foreach (var failure in ex.Failures)
            {
                error.WriteLine($"error: {failure}");
            }

            return ExitCodes.InvalidInput;
        }
    }

    private static int Problem(TextWriter error, string message)
    {
        error.WriteLine($"error: {message}");
        return ExitCodes.InvalidInput;
    }
}
