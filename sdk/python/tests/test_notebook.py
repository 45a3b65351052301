"""The notebook runner: python -m orchest._notebook (PROTOCOL.md sections 5-6)."""

import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid

import pytest

nbformat = pytest.importorskip("nbformat")
pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook  # noqa: E402

import orchest  # noqa: E402

from conftest import SDK_DIR, subprocess_env  # noqa: E402


def make_notebook(path, cells, language="python", kernel_name="python3"):
    nb = new_notebook()
    nb.metadata.kernelspec = {"name": kernel_name, "display_name": "K", "language": language}
    built = []
    for cell in cells:
        if isinstance(cell, str):
            built.append(new_code_cell(cell))
        else:
            built.append(cell)
    nb.cells = built
    nbformat.write(nb, str(path))
    return path


def skip_cell(source):
    cell = new_code_cell(source)
    cell.metadata["tags"] = ["skip"]
    return cell


def run_runner(notebook, output, *args, env=None, with_pythonpath=True, timeout=120):
    env = env if env is not None else subprocess_env(with_pythonpath=with_pythonpath)
    if with_pythonpath:
        cmd = [sys.executable, "-m", "orchest._notebook"]
    else:
        # Import the runner by path: the kernel must still find the SDK.
        cmd = [
            sys.executable,
            "-c",
            f"import sys; sys.path.insert(0, {str(SDK_DIR)!r}); "
            "sys.argv[0] = 'runner'; from orchest._notebook import main; main()",
        ]
    return subprocess.run(
        cmd + [str(notebook), "--output", str(output), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_loop_notebook_log_format(tmp_path):
    # Orchest's runner test: loop.ipynb logs "[1] 0\n1\n2\n3\n4".
    nb = make_notebook(tmp_path / "loop.ipynb", ["for i in range(5):\n    print(i)", ""])
    original = nb.read_bytes()
    result = run_runner(nb, tmp_path / "out" / "loop.ipynb")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[1] 0\n1\n2\n3\n4"
    assert result.stderr == ""
    assert nb.read_bytes() == original  # the input notebook is never modified
    executed = nbformat.read(str(tmp_path / "out" / "loop.ipynb"), as_version=4)
    assert executed.cells[0].execution_count == 1
    assert executed.cells[0].outputs[0]["text"] == "0\n1\n2\n3\n4\n"
    assert executed.metadata.kernelspec.name == "python3"
    assert executed.metadata.language_info.name == "python"


KERNEL_STDERR_CELL = """
import atexit, os, sys
# The kernel's own stderr (ipykernel points descriptor 2 at its capture pipe).
fd = getattr(sys.stderr, "_original_stdstream_copy", 2)
os.write(fd, b"Assertion failed: while a cell runs (src/x.cpp:1)\\n")
def bye():
    os.write(fd, b"exit handler ran\\n")
    os.write(fd, b"Assertion failed: pfd.revents & POLLIN (src/signaler.cpp:265)\\n")
_ = atexit.register(bye)
"""


def test_kernel_stderr_is_logged_but_its_teardown_assertion_is_not(tmp_path):
    # CI once logged libzmq's "Assertion failed: pfd.revents & POLLIN (src/signaler.cpp:265)"
    # from a kernel that died in its shutdown (ipykernel 6.17) for a notebook that succeeded.
    nb = make_notebook(tmp_path / "nb.ipynb", [KERNEL_STDERR_CELL, "print('done')"])
    result = run_runner(nb, tmp_path / "out.ipynb")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "[2] done\n"
    assert result.stderr.splitlines() == [
        "Assertion failed: while a cell runs (src/x.cpp:1)",
        "exit handler ran",
    ]


def test_kernel_streams_leave_out_only_assertions_of_the_teardown():
    from orchest._notebook import _KernelStreams

    read_out, write_out = os.pipe()
    read_err, write_err = os.pipe()
    streams = _KernelStreams(targets=(write_out, write_err))
    kernel = streams.launch_arguments()["stderr"]
    os.write(streams.launch_arguments()["stdout"], b"Assertion failed: on stdout (src/a.cpp:1)\n")
    os.write(kernel, b"Assertion failed: before (src/a.cpp:1)\n")
    time.sleep(0.2)  # read before the teardown begins
    streams.shutting_down()
    for chunk in (b"kept 1\nAssertion failed: pfd.rev", b"ents & POLLIN (src/signaler.cpp:265)\n",
                  b"kept 2\nAssertion failed: x (src/b.cpp:2)\r\nAssertion failed: no file\nlast"):
        os.write(kernel, chunk)
        time.sleep(0.05)
    streams.close()
    os.close(write_out)
    os.close(write_err)
    with os.fdopen(read_out, "rb") as out, os.fdopen(read_err, "rb") as err:
        assert out.read() == b"Assertion failed: on stdout (src/a.cpp:1)\n"
        assert err.read() == (
            b"Assertion failed: before (src/a.cpp:1)\nkept 1\nkept 2\nAssertion failed: no file\nlast"
        )


def test_output_of_the_kernels_process_is_logged_once(tmp_path):
    # ipykernel captures what the kernel's process writes to descriptors 1 and 2
    # into the cell's outputs and also copies it to its own stdout and stderr:
    # both reached the log, so such lines (C libraries, os.system) came twice.
    # (Whether a line makes it into its cell's outputs races with the cell's end
    # in ipykernel; the sleep makes that likely. Either way it is logged once.)
    cell = (
        "import os, time\nprint('from python', flush=True)\n"
        "_ = os.system('echo from C; echo C error >&2')\ntime.sleep(0.5)"
    )
    nb = make_notebook(tmp_path / "nb.ipynb", [cell, "print('done')"])
    result = run_runner(nb, tmp_path / "out.ipynb")
    assert result.returncode == 0, result.stderr
    logged = result.stdout.splitlines() + result.stderr.splitlines()
    assert logged[0] == "[1] from python"
    assert sorted(line for line in logged if line.startswith(("from C", "C error"))) == ["C error", "from C"]
    assert "[2] done" in logged


def _read_until(fd, end, timeout=10.0):
    """What arrives on fd until it ends with end (or the timeout)."""
    data = b""
    deadline = time.monotonic() + timeout
    while not data.endswith(end) and time.monotonic() < deadline:
        if select.select([fd], [], [], 0.1)[0]:
            data += os.read(fd, 65536)
    return data


def test_kernel_streams_forward_what_no_cell_claims_after_the_window():
    from orchest._notebook import _KernelStreams

    read_out, write_out = os.pipe()
    read_err, write_err = os.pipe()
    streams = _KernelStreams(targets=(write_out, write_err), window=1.0)
    kernel_out = streams.launch_arguments()["stdout"]
    kernel_err = streams.launch_arguments()["stderr"]
    os.write(kernel_out, b"kept\nechoed\nsplit\ntwice\ntwice\nprompt> ")
    os.write(kernel_err, b"echoed\n")
    time.sleep(0.3)  # read before the cells' outputs claim
    streams.claim("stdout", "echoed\n")
    streams.claim("stdout", "spl")
    streams.claim("stdout", "it\r\ntwice\nnever written\n")
    streams.claim("display", "kept\n")  # not a stream of the kernel
    # Past the window, before the end: what no claim matched, in order.
    assert _read_until(read_out, b"prompt> ") == b"kept\ntwice\nprompt> "
    assert _read_until(read_err, b"\n") == b"echoed\n"  # claimed on stdout only
    os.write(kernel_out, b"late\n")
    streams.close()  # forwards what waits at once
    os.close(write_out)
    os.close(write_err)
    with os.fdopen(read_out, "rb") as out, os.fdopen(read_err, "rb") as err:
        assert out.read() == b"late\n"
        assert err.read() == b""


def test_prefixes_of_several_cells(tmp_path):
    nb = make_notebook(
        tmp_path / "nb.ipynb",
        [
            "print('a')",
            new_markdown_cell("# not code"),
            "x = 41",  # executed, no output
            "print('b')\nprint('c')",
            "x + 1",  # execute_result: text/plain
            "from IPython.display import display\ndisplay('shown')\nprint('after')",
        ],
    )
    result = run_runner(nb, tmp_path / "out.ipynb")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "[1] a\n\n[3] b\nc\n\n[4] 42\n[5] 'shown'after\n"


def test_skip_tag(tmp_path):
    marker = tmp_path / "marker"
    nb = make_notebook(
        tmp_path / "nb.ipynb",
        [
            "print('one')",
            skip_cell(f"open({str(marker)!r}, 'w').write('x')\nprint('SKIPPED')"),
            "print('two')",
        ],
    )
    result = run_runner(nb, tmp_path / "out.ipynb")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "[1] one\n\n[2] two\n"
    assert not marker.exists()
    executed = nbformat.read(str(tmp_path / "out.ipynb"), as_version=4)
    assert executed.cells[1].outputs == [] and executed.cells[1].execution_count is None
    assert executed.cells[2].execution_count == 2


def test_failing_cell(tmp_path):
    marker = tmp_path / "marker"
    nb = make_notebook(
        tmp_path / "nb.ipynb",
        [
            "print('before')",
            "print('in cell')\n1/0",
            f"open({str(marker)!r}, 'w').write('x')\nprint('never')",
        ],
    )
    result = run_runner(nb, tmp_path / "out.ipynb")
    assert result.returncode == 1
    assert result.stdout.startswith("[1] before\n\n[2] in cell\n")
    assert "An error occurred while executing the following cell:" in result.stdout
    assert "ZeroDivisionError" in result.stdout and "Traceback" in result.stdout
    assert "never" not in result.stdout
    assert not marker.exists()
    executed = nbformat.read(str(tmp_path / "out.ipynb"), as_version=4)
    assert [o["output_type"] for o in executed.cells[1].outputs] == ["stream", "error"]
    assert executed.cells[1].outputs[1]["ename"] == "ZeroDivisionError"
    assert executed.cells[2].execution_count is None


def test_failing_cell_logs_plain_text_and_the_error_line_once(tmp_path):
    nb = make_notebook(tmp_path / "nb.ipynb", ["x = 1", "def f():\n    return 1/0\nf()"])
    result = run_runner(nb, tmp_path / "out.ipynb")
    assert result.returncode == 1
    assert "\x1b" not in result.stdout
    lines = result.stdout.splitlines()
    assert lines.count("ZeroDivisionError: division by zero") == 1
    assert lines[-1] == "ZeroDivisionError: division by zero"
    assert "----> 3 f()" in lines
    # The executed notebook keeps IPython's colours: Jupyter renders them.
    executed = nbformat.read(str(tmp_path / "out.ipynb"), as_version=4)
    assert any("\x1b[" in line for line in executed.cells[1].outputs[0]["traceback"])


def test_executed_notebook_gets_the_mode_of_a_plain_file(tmp_path):
    nb = make_notebook(tmp_path / "nb.ipynb", ["print('x')"])
    out = tmp_path / "out.ipynb"
    env = subprocess_env()
    result = subprocess.run(
        [sys.executable, "-m", "orchest._notebook", str(nb), "--output", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        umask=0o022,
    )
    assert result.returncode == 0, result.stderr
    assert out.stat().st_mode & 0o777 == 0o644


def test_executed_notebook_is_written_after_every_cell(tmp_path):
    out = tmp_path / "out.ipynb"
    nb = make_notebook(
        tmp_path / "nb.ipynb",
        [
            "print('first')",
            f"import json\nsaved = json.load(open({str(out)!r}))\n"
            "print('seen:', ''.join(saved['cells'][0]['outputs'][0]['text']).strip())",
        ],
    )
    result = run_runner(nb, out)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "[1] first\n\n[2] seen: first\n"


def test_outputs_stream_while_the_cell_runs(tmp_path):
    nb = make_notebook(
        tmp_path / "nb.ipynb",
        ["import time\nprint('early', flush=True)\ntime.sleep(4)\nprint('late')"],
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "orchest._notebook", str(nb), "--output", str(tmp_path / "o.ipynb")],
        env=subprocess_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        timer = threading.Timer(60, proc.kill)
        timer.start()
        first_line = proc.stdout.readline()
        still_running = proc.poll() is None
        rest = proc.stdout.read()
        proc.wait()
        timer.cancel()
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()
        proc.stderr.close()
    assert first_line == "[1] early\n"
    assert still_running, "the first output must be logged before the cell ends"
    assert rest == "late\n"
    assert proc.returncode == 0


def test_cwd_and_environment_reach_the_kernel(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    nb = make_notebook(
        tmp_path / "nb.ipynb",
        ["import os, sys\nprint(os.getcwd())\nprint(os.environ['MY_VAR'])\nprint(sys.executable)"],
    )
    env = subprocess_env({"MY_VAR": "hello"})
    result = run_runner(nb, tmp_path / "out.ipynb", "--cwd", str(work), env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"[1] {work}", "hello", sys.executable]


def test_default_cwd_is_the_notebook_folder(tmp_path):
    folder = tmp_path / "steps"
    folder.mkdir()
    nb = make_notebook(folder / "nb.ipynb", ["import os\nprint(os.getcwd())"])
    result = run_runner(nb, tmp_path / "out.ipynb")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"[1] {folder}\n"


def test_notebook_uses_the_sdk_inside_the_kernel(world, tmp_path):
    world.titles["Producer"] = "Producer"
    ctx = world.write_context(
        "Nb", title="Notebook step", step_parameters={"greeting": "hello"},
        pipeline_parameters={"who": "world"},
    )
    nb = make_notebook(
        tmp_path / "step.ipynb",
        [
            "import orchest",
            "msg = orchest.get_step_param('greeting') + ' ' + orchest.get_pipeline_param('who')\n"
            "print(msg)",
            "orchest.output(msg, name='greeting')\norchest.output((1, 2), None)",
            "orchest.get_inputs()",
        ],
    )
    env = subprocess_env(world.env_for("Nb", ctx), with_pythonpath=False)
    result = run_runner(nb, tmp_path / "out.ipynb", env=env, with_pythonpath=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "[2] hello world\n\n[4] {'unnamed': []}"

    world.become("Child", parents=["Nb"], title="Child")
    assert orchest.get_inputs() == {"unnamed": [(1, 2)], "greeting": "hello world"}


def test_sdk_error_in_a_notebook_fails_the_step(world, tmp_path):
    ctx = world.write_context("Nb", parents=["Missing"], title="Nb")
    nb = make_notebook(tmp_path / "step.ipynb", ["import orchest\ndata = orchest.get_inputs()"])
    result = run_runner(nb, tmp_path / "out.ipynb", env=subprocess_env(world.env_for("Nb", ctx)))
    assert result.returncode == 1
    assert "OutputNotFoundError" in result.stdout
    assert 'Output from incoming step "Missing" ("Missing") cannot be found.' in result.stdout


@pytest.mark.parametrize(
    "content, reason",
    [
        (None, "cannot read notebook"),
        ("{not json", "cannot read notebook"),
    ],
)
def test_unreadable_notebook_exits_2(tmp_path, content, reason):
    nb = tmp_path / "nb.ipynb"
    if content is not None:
        nb.write_text(content)
    result = run_runner(nb, tmp_path / "out.ipynb")
    assert result.returncode == 2
    assert result.stdout == ""
    assert reason in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out.ipynb").exists()


def test_unknown_kernel_exits_2(tmp_path):
    nb = make_notebook(tmp_path / "nb.ipynb", ["print(1)"])
    result = run_runner(nb, tmp_path / "out.ipynb", "--kernel", "no-such-kernel")
    assert result.returncode == 2
    assert "the kernel cannot start" in result.stderr and "no-such-kernel" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_language_without_kernel_exits_2(tmp_path):
    nb = make_notebook(tmp_path / "nb.ipynb", ["print(1)"], language="cobol", kernel_name="cobol")
    result = run_runner(nb, tmp_path / "out.ipynb")
    assert result.returncode == 2
    assert "no Jupyter kernel for language 'cobol' is installed" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_output_must_not_be_the_input(tmp_path):
    nb = make_notebook(tmp_path / "nb.ipynb", ["print(1)"])
    original = nb.read_bytes()
    result = run_runner(nb, nb)
    assert result.returncode == 2
    assert nb.read_bytes() == original


def test_explicit_kernel_name(tmp_path):
    # A notebook whose kernelspec names a kernel that does not exist here runs
    # with --kernel python3 (and, without --kernel, by its language).
    nb = make_notebook(tmp_path / "nb.ipynb", ["print('ok')"], kernel_name="conda-env-x-py")
    for args in ((), ("--kernel", "python3")):
        result = run_runner(nb, tmp_path / "out.ipynb", *args)
        assert result.returncode == 0, result.stderr
        assert result.stdout == "[1] ok\n"
    executed = json.loads((tmp_path / "out.ipynb").read_text())
    assert executed["metadata"]["kernelspec"]["name"] == "conda-env-x-py"


FAKE_KERNEL = """
import os, signal, sys, time
# A kernel that never becomes ready and ignores TERM, with a child in a
# session of its own (as IRkernel's R process is): only KILL ends them.
signal.signal(signal.SIGTERM, signal.SIG_IGN)
if os.fork() == 0:
    os.setsid()
    with open(sys.argv[2], "w") as started:
        started.write(sys.argv[3])
    time.sleep(300)
    os._exit(0)
time.sleep(300)
"""


def _processes_with(marker):
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/cmdline", "rb") as f:
                cmdline = f.read().decode("utf-8", "replace")
            with open(f"/proc/{name}/stat", "rb") as f:
                state = f.read().decode("utf-8", "replace").rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker in cmdline and state not in ("Z", "X"):
            found.append(int(name))
    return found


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads the process table in /proc")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_stopped_while_the_kernel_starts_leaves_no_kernel(tmp_path, sig):
    # Julia failed, fail-fast stops the R notebook while its kernel starts
    # (issue 10): the runner must end promptly and take the kernel with it.
    marker = f"orchest-fake-kernel-{uuid.uuid4().hex}"
    started = tmp_path / "kernel-started"
    spec = tmp_path / "jupyter" / "kernels" / "fake-r"
    spec.mkdir(parents=True)
    (spec / "fake_kernel.py").write_text(FAKE_KERNEL)
    argv = [sys.executable, str(spec / "fake_kernel.py"), marker, str(started), "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "language": "R", "display_name": "fake R"}))
    nb = make_notebook(tmp_path / "model.ipynb", ["print(1)"], language="R", kernel_name="ir")
    env = subprocess_env({"JUPYTER_PATH": str(tmp_path / "jupyter")})
    # SIGINT back to its default first: a test run started as a background job of a script inherits it
    # ignored, and Python then never turns it into KeyboardInterrupt.
    runner = subprocess.Popen(
        [sys.executable, "-m", "orchest._notebook", str(nb), "--output", str(tmp_path / "out.ipynb")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        deadline = time.monotonic() + 60
        while not (started.exists() and len(_processes_with(marker)) == 2):
            assert runner.poll() is None, runner.communicate()
            assert time.monotonic() < deadline, "the fake kernel never started"
            time.sleep(0.05)

        runner.send_signal(sig)
        out, err = runner.communicate(timeout=20)

        assert runner.returncode == 1, err
        assert "Interrupted." in out
        deadline = time.monotonic() + 5
        while _processes_with(marker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _processes_with(marker) == []
        # The connection file (it holds the kernel's key) was in the runner's own
        # runtime folder, which is gone with it: not in the temp folder, left.
        connection_file = started.read_text()
        assert os.path.dirname(connection_file) != tempfile.gettempdir()
        assert not os.path.exists(os.path.dirname(connection_file)), connection_file
    finally:
        if runner.poll() is None:
            runner.kill()
        for pid in _processes_with(marker):
            os.kill(pid, signal.SIGKILL)
