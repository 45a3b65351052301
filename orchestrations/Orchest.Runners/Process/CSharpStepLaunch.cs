using Orchest.Engine.Ports;

namespace Orchest.Runners.Process;

/// <summary>A prepared C# step: the command and log to run it with, or the failure that ends it before it runs.</summary>
internal sealed record CSharpStepLaunch(StepCommand? Command, IStepLog Log, StepExit? Failure);
