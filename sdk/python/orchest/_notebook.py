"""Notebook runner (PROTOCOL.md section 6).

    python -m orchest._notebook <notebook.ipynb> --output <executed.ipynb>
        [--cwd <dir>] [--kernel <name>]

Runs the notebook cell by cell in a Jupyter kernel (nbclient), without a
timeout, skipping cells tagged ``skip``. Cell outputs are written to stdout as
they arrive, in Orchest's log format: the first output of a cell is prefixed
``[<execution count>] ``, with a newline before it except for the first cell;
stream outputs log their text, execute_result/display_data their text/plain,
a failing cell logs its traceback. The executed notebook (with outputs) is
written to --output after every cell and at the end; the input notebook is
never modified.

Exit codes: 0 every executed cell succeeded; 1 a cell failed (later cells are
not run); 2 the notebook cannot be read or the kernel cannot start.

Stopping: SIGTERM (and SIGINT) interrupt the notebook once; on every way out
(success, failing cell, interrupt, a kernel that never became ready) the
kernel and every process it started are stopped: TERM, KILL after a short
grace period. Jupyter starts kernels in a session of their own, and an
interrupt can land while a kernel is still starting, before nbclient manages
it, so the runner finds them as its descendants in /proc rather than trusting
the kernel manager's state.

Kernel: --kernel when given; otherwise by the notebook's kernelspec language.
For Python it is the native kernel of the interpreter running this module
(``<sys.executable> -m ipykernel_launcher``), so the kernel sees the same
packages, environment variables (ORCHEST_*) and PYTHONPATH.

The kernel's own stdout and stderr reach the runner's (``_KernelStreams``),
except libzmq's assertion messages of a kernel dying in its shutdown and the
kernel's echo of output it also sent as a cell's output (logged once, there).
"""

import argparse
import collections
import os
import re
import select
import shutil
import signal
import sys
import tempfile
import threading
import time
import uuid
from typing import Any, List, Optional

from ._files import give_default_mode
from ._text import cell_error_text, plain

EXIT_OK = 0
EXIT_CELL_FAILED = 1
EXIT_CANNOT_RUN = 2

# Orchest's mapping of kernelspec language -> kernel name, for non-Python
# kernels (Python uses the native kernel of this interpreter).
_KERNEL_BY_LANGUAGE = {"r": "ir", "julia": "julia-1.7", "javascript": "javascript"}
_NATIVE_PYTHON = "python3"

# Time the kernel's processes get between TERM and KILL when the runner ends.
_KERNEL_STOP_GRACE = 2.0

# How long the runner waits, once the kernel's processes are gone, for the
# last of their output to be read.
_KERNEL_OUTPUT_DRAIN = 1.0

# How long a line of the kernel's own output waits to be claimed as the echo
# of a cell's output before it is forwarded as it is.
_ECHO_WINDOW = 1.0

# At most this much of it waits (a kernel writing faster sees its oldest lines
# forwarded sooner).
_ECHO_HOLD_BYTES = 4 * 1024 * 1024

_stopping = False


class _CannotRun(Exception):
    """The notebook cannot be run at all (exit code 2)."""


class _Log:
    """Writes cell outputs to a text stream in Orchest's format."""

    def __init__(self, stream, echoes: Optional["_KernelStreams"] = None) -> None:
        """echoes: the kernel's own streams, told of every stream output."""
        self.stream = stream
        self.echoes = echoes
        self.printed_counts: set = set()

    def write_output(self, cell: Any, output: Any) -> None:
        text = ""
        if "text" in output:
            text = output["text"]
        elif "data" in output and "text/plain" in output["data"]:
            text = output["data"]["text/plain"]
        if isinstance(text, list):  # nbformat allows multiline strings as lists
            text = "".join(text)
        if self.echoes is not None and output.get("output_type") == "stream":
            self.echoes.claim(output.get("name"), text)

        count = cell.get("execution_count")
        if count in self.printed_counts:
            prefix = ""
        else:
            prefix = "[%s] " % ("?" if count is None else count)
            if self.printed_counts:
                prefix = "\n" + prefix
            self.printed_counts.add(count)
        self.write(prefix + text)

    def write(self, text: str) -> None:
        self.stream.write(plain(text))
        self.stream.flush()


class _KernelStreams:
    """The kernel's own stdout and stderr, read through pipes of the runner
    and forwarded to the runner's, with two exceptions.

    Echoes: ipykernel (6 and later) captures what the kernel's process writes
    to descriptors 1 and 2 (C libraries, os.system, subprocesses) into cell
    outputs, and also copies it to the kernel's own stdout and stderr. Logged
    both ways, such lines appeared twice in a step's log. So every complete
    line the kernel writes waits here up to ``_ECHO_WINDOW`` seconds; a cell's
    stream output claims (``claim``) equal lines of the same stream, which are
    then not forwarded. A line nobody claims in time (the kernel's own
    messages, output the kernel attached to no cell) is forwarded late, never
    lost; ``close`` forwards what still waits at once.

    Teardown: once every cell has run, the kernel shuts down, and ipykernel
    6.17 can die in its teardown on a libzmq assertion (a race between its
    threads closing their sockets), printing e.g. "Assertion failed:
    pfd.revents & POLLIN (src/signaler.cpp:265)" to its stderr: inherited,
    that line landed in the log of a step that succeeded. So from
    ``shutting_down()`` on, lines in libzmq's assertion format are left out;
    everything else the kernel writes (its start-up errors, output of the
    user's exit handlers) is forwarded.
    """

    # zmq_assert's message: "Assertion failed: <expression> (<source file>:<line>)".
    _TEARDOWN_NOISE = re.compile(rb"^Assertion failed: .* \(\S+\.(?:cpp|hpp|c|h):\d+\)\r?$")

    _STREAMS = ("stdout", "stderr")

    def __init__(self, targets=(1, 2), window: float = _ECHO_WINDOW) -> None:
        """targets: where the kernel's stdout and stderr go (descriptors)."""
        self._teardown = False
        self._window = window
        self._targets = list(targets)
        self._lock = threading.Condition()
        # Lines waiting, oldest first: [deadline, stream, data, claimed, key]
        # (key None: an unended line); by key the same entries, so a claim
        # finds the oldest at once.
        self._waiting: collections.deque = collections.deque()
        self._by_line: dict = {}
        self._waiting_bytes = 0
        self._claim_partial = ["", ""]  # a claimed line begun, per stream
        self._closed = False
        self._write_ends: List[int] = []
        self._readers: List[threading.Thread] = []
        for stream in range(len(self._targets)):
            read_end, write_end = os.pipe()
            self._write_ends.append(write_end)
            reader = threading.Thread(
                target=self._pump, args=(read_end, stream), name="kernel-output", daemon=True
            )
            reader.start()
            self._readers.append(reader)
        self._forwarder = threading.Thread(target=self._forward_due, name="kernel-output-forward", daemon=True)
        self._forwarder.start()

    def launch_arguments(self) -> dict:
        """Keyword arguments of the kernel's start: its stdout and stderr."""
        return {"stdout": self._write_ends[0], "stderr": self._write_ends[1]}

    def shutting_down(self) -> None:
        self._teardown = True

    def claim(self, name: Optional[str], text: str) -> None:
        """A cell's stream output (name: stdout or stderr): lines of the kernel
        equal to its complete lines are its echo and are not forwarded."""
        if name not in self._STREAMS:
            return
        stream = self._STREAMS.index(name)
        with self._lock:
            lines = (self._claim_partial[stream] + text).split("\n")
            self._claim_partial[stream] = lines.pop()
            for line in lines:
                entry = self._take_oldest(self._key(stream, line.encode("utf-8", "replace")))
                if entry is not None:
                    entry[3] = True

    def close(self) -> None:
        """Once the kernel's processes are gone: reads what is left, briefly,
        and forwards everything still waiting."""
        for write_end in self._write_ends:
            try:
                os.close(write_end)
            except OSError:
                pass
        self._write_ends = []
        deadline = time.monotonic() + _KERNEL_OUTPUT_DRAIN
        for reader in self._readers:
            reader.join(max(0.0, deadline - time.monotonic()))
        with self._lock:
            self._closed = True
            self._write_due(float("inf"))
            self._lock.notify_all()
        self._forwarder.join(_KERNEL_OUTPUT_DRAIN)

    def _pump(self, read_end: int, stream: int) -> None:
        # Reads to the end whatever happens to the target: a kernel writing
        # into a pipe nobody reads would block once the pipe is full.
        pending = b""  # a line begun, not yet ended
        begun = 0.0
        try:
            while True:
                if pending:
                    # A line left unended (a prompt, a progress bar) goes on as it is, in time.
                    wait = begun + self._window - time.monotonic()
                    if wait <= 0 or not select.select([read_end], [], [], wait)[0]:
                        self._wait(stream, pending, line=None)
                        pending = b""
                        continue
                data = os.read(read_end, 65536)
                if not data:
                    break
                if not pending:
                    begun = time.monotonic()
                lines = (pending + data).split(b"\n")
                pending = lines.pop()
                for line in lines:
                    if not self._is_teardown_noise(line):
                        self._wait(stream, line + b"\n", line=line)
            if pending and not self._is_teardown_noise(pending):
                self._wait(stream, pending, line=None)
        except OSError:
            pass
        finally:
            os.close(read_end)

    def _wait(self, stream: int, data: bytes, line: Optional[bytes]) -> None:
        """data waits to be claimed (by its line, without the newline and a
        trailing carriage return) or forwarded; at once when closed."""
        with self._lock:
            if self._closed:
                self._write(stream, data)
                return
            key = None if line is None else self._key(stream, line)
            entry = [time.monotonic() + self._window, stream, data, False, key]
            self._waiting.append(entry)
            self._waiting_bytes += len(data)
            if key is not None:
                self._by_line.setdefault(key, collections.deque()).append(entry)
            if self._waiting_bytes > _ECHO_HOLD_BYTES:
                self._write_due(time.monotonic())
            self._lock.notify_all()

    def _forward_due(self) -> None:
        with self._lock:
            while not self._closed:
                self._write_due(time.monotonic())
                timeout = self._waiting[0][0] - time.monotonic() if self._waiting else None
                self._lock.wait(timeout)

    def _write_due(self, now: float) -> None:
        """Forwards the waiting entries due by now (and the oldest beyond
        ``_ECHO_HOLD_BYTES``), in order (lock held)."""
        while self._waiting and (self._waiting[0][0] <= now or self._waiting_bytes > _ECHO_HOLD_BYTES):
            _, stream, data, claimed, key = self._waiting.popleft()
            self._waiting_bytes -= len(data)
            if claimed:
                continue
            if key is not None:
                self._take_oldest(key)  # this entry: older ones of its line are gone
            self._write(stream, data)

    def _take_oldest(self, key: tuple) -> Optional[list]:
        """Removes and returns the oldest waiting entry of a line (lock held)."""
        entries = self._by_line.get(key)
        if not entries:
            return None
        entry = entries.popleft()
        if not entries:
            del self._by_line[key]
        return entry

    @staticmethod
    def _key(stream: int, line: bytes) -> tuple:
        return (stream, line[:-1] if line.endswith(b"\r") else line)

    def _write(self, stream: int, data: bytes) -> None:
        self._targets[stream] = _forward(self._targets[stream], data)

    def _is_teardown_noise(self, line: bytes) -> bool:
        return self._teardown and self._TEARDOWN_NOISE.match(line) is not None


def _forward(fd: int, data: bytes) -> int:
    """Writes data whole to fd; -1 (and from then on nothing) when fd fails."""
    try:
        while data and fd >= 0:
            data = data[os.write(fd, data) :]
    except OSError:
        return -1
    return fd


def _write_notebook(nb: Any, path: str) -> None:
    """Writes the notebook atomically (temporary file + rename)."""
    import nbformat

    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".executed-", suffix=".ipynb.tmp", dir=directory)
    try:
        give_default_mode(tmp)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            nbformat.write(nb, f)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.remove(tmp)
        except OSError:
            pass
        raise


def _installed_kernel_specs() -> dict:
    from jupyter_client.kernelspec import KernelSpecManager

    try:
        return KernelSpecManager().get_all_specs()
    except Exception:
        return {}


def _choose_kernel(nb: Any, requested: Optional[str]) -> str:
    """The kernel name to use; ``_NATIVE_PYTHON`` means this interpreter."""
    if requested:
        return requested
    kernelspec = nb.metadata.get("kernelspec") or {}
    language = kernelspec.get("language") or (nb.metadata.get("language_info") or {}).get(
        "name"
    )
    language = (language or "python").lower()
    if language == "python":
        return _NATIVE_PYTHON

    specs = _installed_kernel_specs()

    def has(name: Optional[str]) -> bool:
        spec = specs.get(name or "")
        return bool(spec) and (spec.get("spec", {}).get("language") or "").lower() == language

    candidates = [kernelspec.get("name"), _KERNEL_BY_LANGUAGE.get(language)]
    candidates += sorted(specs)
    for name in candidates:
        if has(name):
            return name
    raise _CannotRun(
        f"no Jupyter kernel for language '{language}' is installed "
        f"(installed kernels: {', '.join(sorted(specs)) or 'none'})"
    )


def _native_kernel_manager_class():
    """An AsyncKernelManager whose 'python3' kernel is this interpreter."""
    from ipykernel.kernelspec import RESOURCES, get_kernel_dict
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class NativeKernelSpecManager(KernelSpecManager):
        def get_kernel_spec(self, kernel_name):
            if kernel_name == _NATIVE_PYTHON:
                return KernelSpec(resource_dir=RESOURCES, **get_kernel_dict())
            return super().get_kernel_spec(kernel_name)

    class NativeKernelManager(AsyncKernelManager):
        @default("kernel_spec_manager")
        def _native_kernel_spec_manager_default(self):
            return NativeKernelSpecManager(data_dir=self.data_dir)

    return NativeKernelManager


def _kernel_env() -> dict:
    """The kernel's environment: ours, plus this SDK on PYTHONPATH so that
    ``import orchest`` works in the kernel."""
    env = dict(os.environ)
    sdk_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parts = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    if sdk_dir not in parts:
        parts.append(sdk_dir)
    env["PYTHONPATH"] = os.pathsep.join(parts)
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    # pytest's marker of a running test turns ipykernel's capture of descriptors
    # 1 and 2 off; a runner started from a test runs its kernel as in a step.
    env.pop("PYTEST_CURRENT_TEST", None)
    return env


def _make_client(nb: Any, kernel_name: str, cwd: str, log: _Log):
    from nbclient import NotebookClient

    class StreamingClient(NotebookClient):
        def create_kernel_manager(self):
            km = super().create_kernel_manager()
            # Unless told where, jupyter_client writes the connection file (with
            # the kernel's key) to the temp folder, where a runner stopped while
            # its kernel starts leaves it: keep it in the runtime folder instead.
            if not km.connection_file:
                from jupyter_core.paths import jupyter_runtime_dir

                runtime = jupyter_runtime_dir()
                os.makedirs(runtime, mode=0o700, exist_ok=True)
                km.connection_file = os.path.join(
                    runtime, f"kernel-{uuid.uuid4()}.json"
                )
            return km

        def output(self, outs, msg, display_id, cell_index):
            out = super().output(outs, msg, display_id, cell_index)
            if out is not None:
                log.write_output(self.nb.cells[cell_index], out)
            return out

    kwargs = dict(
        timeout=None,
        skip_cells_with_tag="skip",
        kernel_name=kernel_name,
        resources={"metadata": {"path": cwd}},
        startup_timeout=120,
    )
    if kernel_name == _NATIVE_PYTHON:
        try:
            kwargs["kernel_manager_class"] = _native_kernel_manager_class()
        except ImportError as e:
            raise _CannotRun(f"ipykernel is not installed in {sys.executable}: {e}") from None
    return StreamingClient(nb, **kwargs)


def _parse_args(argv: Optional[List[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m orchest._notebook",
        description="Run a notebook cell by cell, streaming outputs Orchest-style.",
    )
    parser.add_argument("notebook", help="the notebook to run (never modified)")
    parser.add_argument("--output", required=True, help="where to write the executed notebook")
    parser.add_argument("--cwd", help="working directory of the kernel (default: the notebook's folder)")
    parser.add_argument("--kernel", help="kernel name (default: by the notebook's language)")
    return parser.parse_args(argv)


def _fail(reason: str) -> int:
    sys.stderr.write(f"orchest._notebook: {reason}\n".replace("\n", " ").rstrip() + "\n")
    sys.stderr.flush()
    return EXIT_CANNOT_RUN


def _on_sigterm(signum, frame):
    # Interrupt once; a second TERM must not break off the kernel's clean-up.
    global _stopping
    if _stopping:
        return
    _stopping = True
    raise KeyboardInterrupt()


def _descendants() -> List[int]:
    """Every live process below this one (Linux /proc; empty elsewhere),
    parents first, so a kernel's own children are found even when they
    started sessions of their own."""
    try:
        names = os.listdir("/proc")
    except OSError:
        return []
    parents = {}
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read().decode("utf-8", "replace")
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 1 and fields[0] not in ("Z", "X"):
            parents[int(name)] = int(fields[1])
    found: List[int] = []
    frontier = [os.getpid()]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in found:
                found.append(pid)
                frontier.append(pid)
    return found


def _signal_all(pids: List[int], sig: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, sig)
        except OSError:
            pass


def _reap_children() -> None:
    """Collects exited kernels so they do not linger as zombies."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _stop_kernel_processes(grace: float = _KERNEL_STOP_GRACE) -> None:
    """Stops every process this runner started (the kernel, whatever state
    its start-up reached, and what it started): TERM, then KILL."""
    pids = _descendants()
    if not pids:
        return
    _signal_all(pids, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        _reap_children()
        pids = _descendants()
        if not pids:
            return
        time.sleep(0.05)
    _signal_all(pids, signal.SIGKILL)
    _reap_children()


def run(argv: Optional[List[str]] = None) -> int:
    args = _parse_args(argv)
    # Importing ipykernel (here and in the kernel) otherwise makes its debugger
    # warn about frozen modules on stderr, which would end up in every log.
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    try:
        sys.stdout.reconfigure(encoding="utf-8", errors="replace")
    except (AttributeError, ValueError):
        pass

    try:
        import nbformat
        from nbclient.exceptions import CellExecutionError, DeadKernelError
    except ImportError as e:
        return _fail(f"nbclient/nbformat are not installed in {sys.executable}: {e}")

    notebook_path = os.path.abspath(args.notebook)
    output_path = os.path.abspath(args.output)
    if os.path.exists(output_path) and os.path.samefile(notebook_path, output_path):
        return _fail("--output must not be the input notebook (it is never modified)")
    try:
        with open(notebook_path, "r", encoding="utf-8") as f:
            nb = nbformat.read(f, as_version=4)
    except Exception as e:  # missing file, invalid JSON, invalid notebook
        return _fail(f"cannot read notebook {args.notebook}: {type(e).__name__}: {e}")

    cwd = os.path.abspath(args.cwd) if args.cwd else os.path.dirname(notebook_path)
    if not os.path.isdir(cwd):
        return _fail(f"working directory {cwd} does not exist")

    # Connection files go to a private runtime folder unless one is configured
    # (the home folder may be read-only in a container; the process runner
    # gives each notebook step a folder it removes even after a KILL).
    runtime_dir = None
    if not os.environ.get("JUPYTER_RUNTIME_DIR"):
        runtime_dir = tempfile.mkdtemp(prefix="orchest-kernel-")
        os.environ["JUPYTER_RUNTIME_DIR"] = runtime_dir
    global _stopping
    _stopping = False
    previous_sigterm = signal.signal(signal.SIGTERM, _on_sigterm)

    kernel_streams = _KernelStreams()
    log = _Log(sys.stdout, echoes=kernel_streams)
    started = False
    try:
        kernel_name = _choose_kernel(nb, args.kernel)
        client = _make_client(nb, kernel_name, cwd, log)
        with client.setup_kernel(env=_kernel_env(), **kernel_streams.launch_arguments()):
            started = True
            try:
                _set_language_info(client)
                _write_notebook(nb, output_path)
                for index, cell in enumerate(nb.cells):
                    try:
                        client.execute_cell(
                            cell, index, execution_count=client.code_cells_executed + 1
                        )
                    except CellExecutionError as e:
                        # Orchest's format: the error text follows the cell prefix.
                        log.write(cell_error_text(e))
                        return EXIT_CELL_FAILED
                    except DeadKernelError as e:
                        log.write(f"\nThe kernel died while executing cell {index}: {e}\n")
                        return EXIT_CELL_FAILED
                    finally:
                        _write_notebook(nb, output_path)
            finally:
                # Leaving this block shuts the kernel down.
                kernel_streams.shutting_down()
        _write_notebook(nb, output_path)
        return EXIT_OK
    except _CannotRun as e:
        return _fail(str(e))
    except KeyboardInterrupt:
        # nbclient's pending task logs its cancelled cell on garbage
        # collection; that noise helps nobody once the run is interrupted.
        import logging

        logging.getLogger("asyncio").setLevel(logging.CRITICAL)
        log.write("\nInterrupted.\n")
        return EXIT_CELL_FAILED
    except Exception as e:
        if not started:
            return _fail(f"the kernel cannot start: {type(e).__name__}: {e}")
        raise
    finally:
        # Whatever happened above, no kernel outlives the runner.
        _stopping = True
        try:
            _stop_kernel_processes()
        except KeyboardInterrupt:
            _stop_kernel_processes(grace=0)
        kernel_streams.close()
        signal.signal(signal.SIGTERM, previous_sigterm)
        if runtime_dir:
            shutil.rmtree(runtime_dir, ignore_errors=True)


def _set_language_info(client) -> None:
    """Records the kernel's language_info in the notebook, as nbclient does."""
    try:
        msg_id = client.kc.kernel_info()
        reply = client.wait_for_reply(msg_id)
        if reply is not None and "language_info" in reply["content"]:
            client.nb.metadata["language_info"] = reply["content"]["language_info"]
    except Exception:
        pass


def main() -> None:
    sys.exit(run())


if __name__ == "__main__":
    main()
