using Orchest.Pipelines;

namespace Orchest.Testing;

/// <summary>
/// Writes one <see cref="HostileStep"/> into a project. Every process it starts carries
/// <see cref="Marker"/> in its command line (so a test scans the process table for leftovers) and it
/// creates <see cref="StartedFlag"/> once all of them run. <c>exits</c> true: the step's main process
/// exits at once, leaving its hostile processes behind; false: it keeps running until stopped.
/// Paths inside the step are relative to <c>$ORCHEST_PROJECT_DIR</c>, so the same files work on the
/// host and in a container.
/// </summary>
/// <param name="Step">Which hostile step.</param>
/// <param name="Marker">In the command line of every process the step starts.</param>
/// <param name="StepFile">The step file, relative to the project.</param>
/// <param name="Kind">The step file's kind.</param>
/// <param name="StartedFlag">
/// Created in the project once the step's hostile processes run; a starting kernel writes into it the folder
/// of its connection file.
/// </param>
/// <param name="ReleaseFlag">
/// Created by the test (<see cref="Release"/>) once it has checked what it checks while the step runs: a
/// partial-line step ends its line and exits then, a fail-fast sibling (<see cref="FailingSibling"/>) fails.
/// </param>
public sealed record HostileSteps(HostileStep Step, string Marker, string StepFile, StepFileKind Kind, string StartedFlag, string ReleaseFlag)
{
    /// <summary>What a partial-line step prints before it waits (no newline).</summary>
    public const string PartialText = "progress: 10%";

    private const string Helper = """
        import os, signal, sys, time
        mode, marker = sys.argv[1], sys.argv[2]

        def detach(ignore_term):
            if ignore_term:
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
            os.setsid()

        if mode == "daemon":
            if os.fork() == 0:
                detach(False)
                if os.fork() == 0:
                    time.sleep(300)
                os._exit(0)
        elif mode == "grandchild":
            if os.fork() == 0:
                if os.fork() == 0:
                    detach(True)
                    time.sleep(300)
                    os._exit(0)
                time.sleep(300)
                os._exit(0)
        elif mode == "writer":
            if os.fork() == 0:
                n = 0
                while True:
                    n += 1
                    print("child writing %d" % n, flush=True)
                    time.sleep(0.1)
        time.sleep(0.2)
        """;

    private const string FakeKernel = """
        import os, signal, sys, time
        # A kernel that never becomes ready, ignores TERM and has a child in a session of its own
        # (as IRkernel's R process has). FAKE_KERNEL_EXITS=1: it dies while starting, leaving the child.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if os.fork() == 0:
            os.setsid()
            time.sleep(300)
            os._exit(0)
        time.sleep(0.2)
        # The started flag holds the folder of the connection file (what must not outlive the step).
        with open(os.path.join(os.environ["ORCHEST_PROJECT_DIR"], sys.argv[2]), "w") as started:
            started.write(os.path.dirname(os.path.abspath(sys.argv[3])))
        if os.environ.get("FAKE_KERNEL_EXITS") == "1":
            os._exit(9)
        time.sleep(300)
        """;

    /// <summary>Variables the step needs, given the project folder as the step sees it (JUPYTER_PATH for the fake kernel).</summary>
    public Dictionary<string, string> Environment(string projectDirInStep) =>
        Step == HostileStep.KernelStarting
            ? new() { ["JUPYTER_PATH"] = projectDirInStep.TrimEnd('/') + "/hostile/jupyter" }
            : [];

    /// <summary>
    /// A sibling step that fails once the test has seen what it checks while the hostile step runs
    /// (<see cref="Release"/>), so a loaded machine cannot abort the hostile step before that (a fixed
    /// sleep once was too short in CI).
    /// </summary>
    public string FailingSibling => WaitForRelease(ReleaseFlag) + "echo 'failing now'\nexit 1\n";

    /// <summary>Lets what waits for <see cref="ReleaseFlag"/> go on.</summary>
    public void Release(TempProject project)
    {
        ArgumentNullException.ThrowIfNull(project);
        project.Write(ReleaseFlag, "");
    }

    /// <summary>Writes the step's files into <paramref name="project"/>.</summary>
    public static HostileSteps Write(TempProject project, HostileStep kind, bool exits)
    {
        ArgumentNullException.ThrowIfNull(project);
        var id = Guid.NewGuid().ToString("n")[..10];
        var marker = $"orchest-hostile-{id}";
        var flag = $"hostile/started-{id}";
        var release = $"hostile/release-{id}";
        project.Write("hostile/helper.py", Helper);
        if (kind == HostileStep.KernelStarting)
        {
            project.Write("hostile/jupyter/kernels/ir/fake_kernel.py", FakeKernel);
            project.Write("hostile/jupyter/kernels/ir/kernel.json", $$$"""
                {"argv": ["/usr/bin/python3", "{resource_dir}/fake_kernel.py", "{{{marker}}}", "{{{flag}}}", "{connection_file}"],
                 "language": "R", "display_name": "R (fake)", "env": {"FAKE_KERNEL_EXITS": "{{{(exits ? "1" : "0")}}}"}}
                """);
            var notebook = """
                {"cells": [{"cell_type": "code", "execution_count": null, "id": "c1", "metadata": {}, "outputs": [], "source": "print(1)"}],
                 "metadata": {"kernelspec": {"display_name": "R", "language": "R", "name": "ir"}, "language_info": {"name": "R"}},
                 "nbformat": 4, "nbformat_minor": 5}
                """;
            project.Write($"hostile-{id}.ipynb", notebook);
            return new HostileSteps(kind, marker, $"hostile-{id}.ipynb", StepFileKind.Notebook, flag, release);
        }

        var start = kind switch
        {
            HostileStep.DaemonHoldingOutput => $"/usr/bin/python3 \"$ORCHEST_PROJECT_DIR/hostile/helper.py\" daemon {marker}\n",
            HostileStep.SetsidGrandchildIgnoringTerm => $"/usr/bin/python3 \"$ORCHEST_PROJECT_DIR/hostile/helper.py\" grandchild {marker}\n",
            HostileStep.ChildKeepsWriting => $"/usr/bin/python3 \"$ORCHEST_PROJECT_DIR/hostile/helper.py\" writer {marker}\n",
            _ => $"printf '{PartialText.Replace("%", "%%", StringComparison.Ordinal)}'\n",
        };
        // The fragment must reach the log (its wait for a newline is 250 ms) before ' done' ends its line:
        // the line ends once the test has seen it (a fixed sleep once was too short in CI).
        var end = exits
            ? (kind == HostileStep.PartialLines ? WaitForRelease(release) + "printf ' done'\nexit 0\n" : "echo 'main exits'\nexit 0\n")
            : $"exec -a 'main-{marker}' sleep 300\n";
        project.Write($"hostile-{id}.sh", $"{start}echo 'hostile started' >&2\ntouch \"$ORCHEST_PROJECT_DIR/{flag}\"\n{end}");
        return new HostileSteps(kind, marker, $"hostile-{id}.sh", StepFileKind.Shell, flag, release);
    }

    /// <summary>Shell that waits for <paramref name="flag"/> in the project, at most 60 s.</summary>
    private static string WaitForRelease(string flag) =>
        $"for i in $(seq 1200); do\n  [ -f \"$ORCHEST_PROJECT_DIR/{flag}\" ] && break\n  sleep 0.05\ndone\n";
}
