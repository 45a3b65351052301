namespace Orchest.Chaos.Workloads;

/// <summary>How a planned run is started.</summary>
public enum RunTrigger
{
    /// <summary><c>POST /api/projects/{p}/runs</c>, to the next live host.</summary>
    Api,

    /// <summary>A commit in the project's repository and its push delivery (as GitHub signs it), to the next live host; its job file starts the run.</summary>
    Push,

    /// <summary>A push whose delivery goes to the host about to be killed, <see cref="KillPlan.PushLead"/> before it dies: its handling is cut short.</summary>
    PushAtKill,
}
