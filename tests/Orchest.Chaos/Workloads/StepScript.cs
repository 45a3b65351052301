namespace Orchest.Chaos.Workloads;

/// <summary>
/// The one Python file every workload step runs, driven by its step parameters. It reads each parent's
/// token (failing if one is missing or of another run), sleeps (so kills and cancels land mid-step), fails
/// on purpose if told to, then outputs a token unique to this execution (run, title, attempt, random) with
/// the parents' tokens it saw, and prints the token (so the step's log can be checked for it).
/// </summary>
public static class StepScript
{
    public const string FileName = "chaos_step.py";

    public const string Source =
        """
        import os
        import sys
        import time
        import uuid

        import orchest

        title = orchest.get_step_param("title")
        run = os.environ["ORCHEST_RUN_UUID"]
        attempt = int(os.environ["ORCHEST_STEP_ATTEMPT"])
        inputs = orchest.get_inputs()
        seen = {}
        for parent in orchest.get_step_param("parents", []):
            got = inputs.get("t_" + parent)
            if not isinstance(got, dict) or not str(got.get("token", "")).startswith(run + "/" + parent + "/"):
                print(f"input of {parent} is missing or not this run's: {got!r}", file=sys.stderr)
                sys.exit(7)
            seen[parent] = got["token"]

        time.sleep(float(orchest.get_step_param("sleep", 0)))
        fail = orchest.get_step_param("fail", "never")
        if fail == "always" or (fail == "first" and attempt == 1):
            print(f"failing on purpose ({fail}, attempt {attempt})", file=sys.stderr)
            sys.exit(3)

        token = f"{run}/{title}/{attempt}/{uuid.uuid4().hex}"
        orchest.output({"token": token, "seen": seen}, name="t_" + title)
        print("token " + token, flush=True)
        """;
}
