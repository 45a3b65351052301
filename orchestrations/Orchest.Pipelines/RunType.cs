namespace Orchest.Pipelines;

/// <summary>Which steps of a pipeline a run executes (Orchest's run_type).</summary>
public enum RunType
{
    /// <summary>"full": every step.</summary>
    Full,

    /// <summary>"selection": the chosen steps, with only the edges between them (the induced subgraph).</summary>
    Selection,

    /// <summary>"incoming": the strict ancestors of the chosen steps; the chosen steps themselves do not run.</summary>
    Incoming,
}
