namespace Orchest.Pipelines.Parameters;

/// <summary>Where a job's parameter sets come from, which decides how a set meets the pipeline's own parameters.</summary>
public enum ParameterSource
{
    /// <summary>None given: one run with the pipeline's own parameters.</summary>
    Pipeline,

    /// <summary>Orchest's job <c>parameters</c> list: each set replaces the pipeline's parameters and those of the steps it names.</summary>
    List,

    /// <summary>A grid: each combination replaces only the parameters it names; the others keep the pipeline's values.</summary>
    Grid,
}
