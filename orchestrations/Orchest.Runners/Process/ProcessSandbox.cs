namespace Orchest.Runners.Process;

/// <summary>How the process runner contains a step (<c>Orchest:Runners:Process:Sandbox</c>, <c>orchest run --sandbox</c>).</summary>
public enum ProcessSandbox
{
    /// <summary>Bubblewrap when it works on this machine, else no sandbox.</summary>
    Auto,

    /// <summary>
    /// Every step in a bubblewrap sandbox: its own pid namespace (nothing it starts survives it), the
    /// data folder at <c>/data</c>, the rest of the file system as it is, the same uid. A step fails
    /// when bubblewrap does not work here.
    /// </summary>
    Bubblewrap,

    /// <summary>
    /// Plain processes: the step's processes are found by a marker variable, session, group and
    /// parentage; the data folder is only in <c>ORCHEST_DATA_DIR</c>.
    /// </summary>
    None,
}
