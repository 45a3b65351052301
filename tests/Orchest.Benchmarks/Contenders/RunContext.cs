using Orchest.Benchmarks.Workloads;

namespace Orchest.Benchmarks.Contenders;

/// <summary>Where and how one repetition runs: the same parallelism and interpreters for every contender.</summary>
public sealed record RunContext(string Directory, int Parallelism, Interpreters Interpreters, TimeSpan Timeout);
