"""Test helpers: a project folder laid out as the engine lays it out, step
context files written as the engine writes them, and real subprocesses."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, Iterable, Optional

import pytest

SDK_DIR = Path(__file__).resolve().parents[1]
TESTS_DIR = Path(__file__).resolve().parent
if str(SDK_DIR) not in sys.path:
    sys.path.insert(0, str(SDK_DIR))

from orchest import transfer  # noqa: E402
from orchest.config import Config  # noqa: E402

PIPELINE_UUID = "6698ed48-0000-4000-8000-000000000001"
RUN_UUID = "run-1"


def subprocess_env(extra: Optional[Dict[str, str]] = None, with_pythonpath=True) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCHEST_")}
    if with_pythonpath:
        env["PYTHONPATH"] = os.pathsep.join([str(SDK_DIR), str(TESTS_DIR)])
    else:
        env.pop("PYTHONPATH", None)
    env.update(extra or {})
    return env


def run_python(code: str, env: Dict[str, str], cwd=None, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


class World:
    """A project with one pipeline; each step gets an output set per run and
    a context file, as the engine does (PROTOCOL.md sections 2-4)."""

    def __init__(self, root: Path, monkeypatch):
        self.root = root
        self.monkeypatch = monkeypatch
        self.project = root / "project"
        self.project.mkdir()
        self.titles: Dict[str, str] = {}

    def data_root(self) -> Path:
        return self.project / ".orchest" / "pipelines" / PIPELINE_UUID / "data"

    def out_dir(self, step_uuid: str, run: str = RUN_UUID) -> Path:
        return self.data_root() / step_uuid / f"{run}-1"

    def write_context(
        self,
        step_uuid: str,
        parents: Iterable[str] = (),
        title: Optional[str] = None,
        step_parameters=None,
        pipeline_parameters=None,
        locations: Optional[Dict[str, object]] = None,
        output=None,
        extra=None,
    ) -> Path:
        """Writes the context of a step; a parent's location defaults to its
        output set of this run when that folder exists, else null."""
        locations = locations or {}
        inputs = []
        for parent in parents:
            if parent in locations:
                location = locations[parent]
            elif self.out_dir(parent).is_dir():
                location = {"kind": "dir", "path": str(self.out_dir(parent))}
            else:
                location = None
            inputs.append(
                {"step_uuid": parent, "title": self.titles.get(parent, parent), "location": location}
            )
        if title:
            self.titles[step_uuid] = title
        ctx = {
            "protocol": 1,
            "run_uuid": RUN_UUID,
            "pipeline_uuid": PIPELINE_UUID,
            "step_uuid": step_uuid,
            "step_title": self.titles.get(step_uuid, step_uuid),
            "attempt": 1,
            "output": output
            if output is not None
            else {"kind": "dir", "path": str(self.out_dir(step_uuid))},
            "inputs": inputs,
            "step_parameters": step_parameters or {},
            "pipeline_parameters": pipeline_parameters or {},
        }
        ctx.update(extra or {})
        path = self.root / "contexts" / f"{step_uuid}.json"
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(ctx), encoding="utf-8")
        return path

    def env_for(self, step_uuid: str, context_path: Path) -> Dict[str, str]:
        return {
            "ORCHEST_STEP_UUID": step_uuid,
            "ORCHEST_PIPELINE_UUID": PIPELINE_UUID,
            "ORCHEST_PROJECT_DIR": str(self.project),
            "ORCHEST_RUN_UUID": RUN_UUID,
            "ORCHEST_STEP_CONTEXT": str(context_path),
        }

    def become(self, step_uuid: str, parents: Iterable[str] = (), title=None, **kwargs) -> Path:
        """Makes this process act as the step (as the engine would start it)."""
        if title:
            self.titles[step_uuid] = title
        path = self.write_context(step_uuid, parents, title=title, **kwargs)
        for key, value in self.env_for(step_uuid, path).items():
            self.monkeypatch.setenv(key, value)
        transfer._reset_state()
        return path


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for key in list(os.environ):
        if key.startswith("ORCHEST_") or key == "KERNEL_ID":
            monkeypatch.delenv(key)
    monkeypatch.setattr(Config, "silence_multiple_data_transfer_calls_warning", False)
    transfer._reset_state()
    yield
    transfer._reset_state()


@pytest.fixture
def world(tmp_path, monkeypatch):
    return World(tmp_path, monkeypatch)


@pytest.fixture(scope="session")
def azurite():
    """A real Azurite blob service for the session (tests/azurite.py). Skipped
    when node or the Azurite install is missing, except under CI=true."""
    from azurite import Azurite, AzuriteUnavailable

    try:
        server = Azurite()
    except AzuriteUnavailable as e:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Azurite is required under CI=true: {e}")
        pytest.skip(f"Azurite is not available: {e}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def container(azurite):
    """A fresh blob container for one test."""
    return azurite.container()
