using System.CommandLine;

namespace Orchest.Cli;

/// <summary>Parses the command line and dispatches to a command. Parse errors exit 2, like every invalid input.</summary>
internal static class OrchestCommandLine
{
    public static async Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error)
    {
        var run = new RunCommand();
        var validate = new ValidateCommand();
        var pipelines = new PipelinesCommand();
        var serve = new ServeCommand();
        var root = new RootCommand("Orchest.Functions: run Orchest pipelines from a git project.")
        {
            run.Command,
            validate.Command,
            pipelines.Command,
            serve.Command,
        };

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            var problems = new CliProblems();
            problems.AddRange(parse.Errors.Select(e => e.Message));
            return problems.Report(error);
        }

        // --help / --version: our commands have no action of their own, so any action is one of these.
        if (parse.Action is not null)
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        }

        var command = parse.CommandResult.Command;
        if (command == run.Command)
        {
            return await run.ExecuteAsync(parse, output, error);
        }

        if (command == validate.Command)
        {
            return validate.Execute(parse, output, error);
        }

        if (command == serve.Command)
        {
            return await serve.ExecuteAsync(parse, error);
        }

        if (command == pipelines.Command)
        {
            return pipelines.Execute(parse, output, error);
        }

        // Help, version, or the bare root command.
        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }
}
