using System.CommandLine;
using Microsoft.Extensions.Options;
using Orchest.Functions.Hosting;

namespace Orchest.Cli;

/// <summary>
/// <c>orchest serve</c>: hosts the function set (HTTP API, step worker, timers) on Azure Storage.
/// Any further <c>--Section:Key=value</c> arguments become configuration.
/// </summary>
internal sealed class ServeCommand
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

    public async Task<int> ExecuteAsync(ParseResult parse, TextWriter error)
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
