using System.CommandLine;
using System.CommandLine.Help;

namespace Orchest.Cli;

/// <summary>Parses the command line and dispatches to a command. Parse errors exit 2, like every invalid input.</summary>
internal static class OrchestCommandLine
{
    private static readonly HelpSection[] RootHelp =
    [
        HelpSection.Examples(
            "orchest run samples/quickstart                     run the quickstart pipeline on this machine",
            "orchest runs samples/quickstart                    its runs, newest first",
            "orchest logs samples/quickstart \"Load and clean\"   the log of a step's last run",
            "orchest follow <run>                               a served run's events as they happen (orchest serve)",
            "orchest <command> --help                           everything about one command"),
        HelpSection.ExitCodes(
            "0\tsuccess",
            "1\ta run ended FAILURE or ABORTED",
            "2\tinvalid input (arguments, pipeline files, unknown steps); nothing was written"),
        HelpSection.Environment(),
        new("More", ["README.md of the repository: served mode, the HTTP API, configuration."]),
    ];

    public static async Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error)
    {
        var jobsValidate = new JobsValidateCommand();
        IOrchestCommand[] commands = [new RunCommand(), new ValidateCommand(), new PipelinesCommand(), new RunsCommand(), new LogsCommand(), new FollowCommand(), new ServeCommand(), jobsValidate];
        var root = new RootCommand("Orchest.Functions: run Orchest pipelines (*.orchest files) from a project folder or git repository.");
        foreach (var command in commands.Where(c => c != jobsValidate))
        {
            root.Add(command.Command);
        }

        root.Add(new Command("jobs", "Jobs declared in the repository (.orchest/jobs/*.json).") { jobsValidate.Command });

        foreach (var version in root.Options.OfType<VersionOption>())
        {
            version.Description = "Print the version of orchest.";
        }

        var parse = root.Parse(args);
        var chosen = commands.FirstOrDefault(c => c.Command == parse.CommandResult.Command);
        if (parse.Action is HelpAction || args.Length == 0)
        {
            // A bare "orchest" shows the help too, as dotnet does.
            HelpWriter.Write(parse.CommandResult.Command, chosen?.Help ?? RootHelp, output, HelpWriter.Width(output));
            return ExitCodes.Success;
        }

        if (parse.Errors.Count > 0)
        {
            var problems = new CliProblems();
            problems.AddRange(parse.Errors.Select(e => e.Message));
            var exit = problems.Report(error);
            error.WriteLine($"Run \"{HelpCommand(parse)} --help\" for usage.");
            return exit;
        }

        if (chosen is not null && parse.Action is null)
        {
            return await chosen.ExecuteAsync(parse, output, error);
        }

        // --version.
        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }

    private static string HelpCommand(ParseResult parse) =>
        parse.CommandResult.Command is RootCommand ? "orchest" : $"orchest {parse.CommandResult.Command.Name}";
}
