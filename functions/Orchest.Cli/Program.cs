using Orchest.Cli;

return await OrchestCommandLine.InvokeAsync(args, Console.Out, Console.Error);
