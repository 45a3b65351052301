namespace Orchest.Functions.Tests.Support;

/// <summary>Step files the served tests run (bash and Python with the step SDK).</summary>
internal static class Scripts
{
    /// <summary>
    /// Leaves a marker in the host's data folder (which host ran it), then waits until $BARRIER_SIZE steps
    /// reached the barrier folder: so that many steps must run at the same time, on whichever hosts.
    /// </summary>
    public const string Barrier =
        """
        touch "$ORCHEST_DATA_DIR/ran-$ORCHEST_STEP_UUID"
        touch "$BARRIER_DIR/$ORCHEST_STEP_UUID"
        for _ in $(seq 1 600); do
          arrived=("$BARRIER_DIR"/*)
          if [ "${#arrived[@]}" -ge "$BARRIER_SIZE" ]; then
            echo "barrier passed on $ORCHEST_DATA_DIR"
            exit 0
          fi
          sleep 0.2
        done
        echo "barrier of $BARRIER_SIZE not reached" >&2
        exit 3
        """;

    /// <summary>Appends one line per execution to $JOIN_LOG (the join must run exactly once).</summary>
    public const string CountingJoin =
        """
        echo "join attempt $ORCHEST_STEP_ATTEMPT on $ORCHEST_DATA_DIR" >> "$JOIN_LOG"
        """;

    /// <summary>Runs until stopped, its process carrying $MARKER in its command line; a marker file says on which host.</summary>
    public const string LongRunning =
        """
        touch "$ORCHEST_DATA_DIR/long-$ORCHEST_STEP_UUID"
        exec -a "$MARKER" sleep 300
        """;

    /// <summary>
    /// Records its attempt and process group, waits for $SHARED_DIR/release, then outputs a token unique
    /// to this execution (so the child shows which attempt's result was committed).
    /// </summary>
    public const string HeldProducer =
        """
        import os
        import pathlib
        import time
        import uuid

        import orchest

        shared = pathlib.Path(os.environ["SHARED_DIR"])
        attempt = os.environ["ORCHEST_STEP_ATTEMPT"]
        pathlib.Path(os.environ["ORCHEST_DATA_DIR"], f"held-{attempt}").touch()
        started = shared / f"started-{attempt}"
        (shared / "tmp").write_text(str(os.getpgid(0)))
        (shared / "tmp").rename(started)
        deadline = time.time() + 120
        while not (shared / "release").exists():
            if time.time() > deadline:
                raise SystemExit("never released")
            time.sleep(0.1)
        token = f"attempt {attempt} {uuid.uuid4()}"
        print(token)
        orchest.output(token, name="token")
        """;

    /// <summary>Reads its parent's token and outputs it as "seen".</summary>
    public const string TokenReader =
        """
        import orchest

        token = orchest.get_inputs()["token"]
        print("child read", token)
        orchest.output(token, name="seen")
        """;

    /// <summary>
    /// Prints its run's parameters (pipeline parameter "n", its own "word") and leaves them in a file per
    /// execution under $RESULTS_DIR (what a job test checks each run got), then sleeps $SLEEP seconds (default 0).
    /// </summary>
    public const string ParameterEcho =
        """
        import os
        import time

        import orchest

        run = os.environ["ORCHEST_RUN_UUID"]
        line = f"run={run} n={orchest.get_pipeline_param('n')} word={orchest.get_step_param('word')}"
        print(line, flush=True)
        path = os.path.join(os.environ["RESULTS_DIR"], f"{run}-{os.environ['ORCHEST_STEP_ATTEMPT']}")
        with open(path + ".tmp", "w") as f:
            f.write(line)
        os.rename(path + ".tmp", path)
        time.sleep(float(orchest.get_step_param("sleep") or os.environ.get("SLEEP", "0")))
        """;
}
