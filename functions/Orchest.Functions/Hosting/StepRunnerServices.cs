using Docker.DotNet;
using Orchest.Engine.Ports;
using Orchest.Runners.Docker;
using Orchest.Runners.Docker.Services;
using Orchest.Runners.Process;
using Orchest.Storage.Azure.Blobs;

namespace Orchest.Functions.Hosting;

/// <summary>
/// The step runner this host uses (<c>Orchest:Runner</c>: <c>process</c>, the default, or <c>docker</c>).
/// The worker role does not care which: both are an <see cref="IStepRunner"/>. With docker, the host also
/// starts runs' pipeline services (<see cref="IRunServices"/>, options <c>Orchest:Services</c>).
/// </summary>
public static class StepRunnerServices
{
    public static IServiceCollection AddOrchestStepRunner(this IServiceCollection services, IConfiguration configuration, ProcessRunnerOptions processOptions)
    {
        var runner = configuration["Orchest:Runner"] ?? "process";
        switch (runner)
        {
            case "process":
                services.AddSingleton<IStepRunner>(_ => new ProcessStepRunner(processOptions));
                break;
            case "docker":
                var docker = new DockerRunnerOptions();
                configuration.GetSection("Orchest:Runners:Docker").Bind(docker);
                if (docker.Validate() is { Count: > 0 } problems)
                {
                    throw new Microsoft.Extensions.Options.OptionsValidationException(
                        nameof(DockerRunnerOptions), typeof(DockerRunnerOptions), problems.Select(p => $"Orchest:Runners:Docker: {p}"));
                }

                var serviceOptions = new ServiceOptions();
                configuration.GetSection(ServiceOptions.Section).Bind(serviceOptions);
                if (serviceOptions.Validate() is { Count: > 0 } serviceProblems)
                {
                    throw new Microsoft.Extensions.Options.OptionsValidationException(nameof(ServiceOptions), typeof(ServiceOptions), serviceProblems);
                }

                services.AddSingleton(docker);
                services.AddSingleton(serviceOptions);
                services.AddSingleton<DockerClient>(_ => DockerEndpoint.CreateClient(docker.Endpoint));
                services.AddSingleton(sp => new DockerStepRunner(
                    sp.GetRequiredService<DockerClient>(), docker, loggers: sp.GetRequiredService<ILoggerFactory>()));
                services.AddSingleton<IStepRunner>(sp => sp.GetRequiredService<DockerStepRunner>());
                services.AddSingleton<IRunServices>(sp => new DockerRunServices(
                    new ServiceContainers(sp.GetRequiredService<DockerClient>(), docker, sp.GetRequiredService<DockerStepRunner>().Images)
                    {
                        AdvertisedAddress = serviceOptions.AdvertisedAddress,
                        PublishAddress = serviceOptions.PublishAddress,
                        ReadyTimeout = serviceOptions.ReadyTimeout,
                    },
                    sp.GetRequiredService<IRunWorkspaces>(),
                    sp.GetRequiredService<BlobArtifactStore>()));
                services.AddHostedService<ContainerOrphanCleanup>();
                break;
            default:
                throw new Microsoft.Extensions.Options.OptionsValidationException(
                    "Orchest:Runner", typeof(string), [$"Orchest:Runner \"{runner}\" is not one of process, docker."]);
        }

        return services;
    }
}
