"""The step context: who the running step is and where its data lives.

Two sources (PROTOCOL.md section 2):

* the step context file named by ``ORCHEST_STEP_CONTEXT`` (written by the
  engine), or
* the Orchest-style fallback: the pipeline file at ``ORCHEST_PIPELINE_PATH``,
  the step at ``ORCHEST_STEP_UUID`` and the committed outputs under
  ``<ORCHEST_PROJECT_DIR>/.orchest/pipelines/<pipeline>/data/<step>/LATEST``.

The context is read on every call (it is small), so nothing goes stale.
"""

import json
import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from orchest.config import Config
from orchest.error import StepContextError
from orchest.pipeline import Pipeline

PROTOCOL_VERSION = 1
LATEST_FILE = "LATEST"


@dataclass
class InputRef:
    """A parent of the running step."""

    step_uuid: str
    title: str
    # A location object of the protocol (dict), a Location, or None when the
    # parent has no committed output set.
    location: Any


@dataclass
class StepContext:
    source: str  # "context" or "fallback"
    step_uuid: str
    step_title: Optional[str]
    pipeline_uuid: Optional[str]
    run_uuid: Optional[str] = None
    attempt: Optional[int] = None
    # Location object of the step's own output set (context source only).
    output: Any = None
    inputs: List[InputRef] = field(default_factory=list)
    step_parameters: Dict[str, Any] = field(default_factory=dict)
    pipeline_parameters: Dict[str, Any] = field(default_factory=dict)
    # Fallback source only: <project>/.orchest/pipelines/<ppl>/data/<step>.
    fallback_step_root: Optional[str] = None


def _dict_or_empty(value: Any, what: str, path: str) -> Dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise StepContextError(f'Step context {path}: "{what}" must be an object.')
    return value


def read_context_file(path: str) -> StepContext:
    """Reads and validates a step context file.

    Raises:
        StepContextError: the file is missing, not JSON, or not a context.
    """
    try:
        with open(path, "r", encoding="utf-8") as f:
            raw = json.load(f)
    except FileNotFoundError:
        raise StepContextError(
            f"The step context file {path} (ORCHEST_STEP_CONTEXT) does not exist."
        ) from None
    except (OSError, ValueError) as e:
        raise StepContextError(
            f"The step context file {path} (ORCHEST_STEP_CONTEXT) cannot be read: {e}"
        ) from None
    if not isinstance(raw, dict):
        raise StepContextError(f"Step context {path}: not a JSON object.")

    protocol = raw.get("protocol", PROTOCOL_VERSION)
    if not isinstance(protocol, int) or protocol > PROTOCOL_VERSION:
        raise StepContextError(
            f"Step context {path} uses protocol {protocol!r}; this SDK "
            f"(orchest {_sdk_version()}) supports protocol {PROTOCOL_VERSION}. "
            "Update the orchest package of the environment."
        )

    step_uuid = raw.get("step_uuid")
    if not isinstance(step_uuid, str) or not step_uuid:
        raise StepContextError(f'Step context {path}: "step_uuid" is missing.')

    inputs = []
    for i, item in enumerate(raw.get("inputs") or []):
        if not isinstance(item, dict) or not isinstance(item.get("step_uuid"), str):
            raise StepContextError(f'Step context {path}: "inputs[{i}]" is invalid.')
        title = item.get("title")
        inputs.append(
            InputRef(
                step_uuid=item["step_uuid"],
                title=title if isinstance(title, str) else item["step_uuid"],
                location=item.get("location"),
            )
        )

    return StepContext(
        source="context",
        step_uuid=step_uuid,
        step_title=raw.get("step_title"),
        pipeline_uuid=raw.get("pipeline_uuid"),
        run_uuid=raw.get("run_uuid"),
        attempt=raw.get("attempt"),
        output=raw.get("output"),
        inputs=inputs,
        step_parameters=_dict_or_empty(raw.get("step_parameters"), "step_parameters", path),
        pipeline_parameters=_dict_or_empty(
            raw.get("pipeline_parameters"), "pipeline_parameters", path
        ),
    )


def _sdk_version() -> str:
    from orchest._version import __version__

    return __version__


def fallback_data_root(pipeline_uuid: str) -> str:
    return os.path.join(Config.PROJECT_DIR, ".orchest", "pipelines", pipeline_uuid, "data")


def read_latest(step_root: str) -> Optional[str]:
    """Path of the output set named by ``<step_root>/LATEST``, if it exists."""
    try:
        with open(os.path.join(step_root, LATEST_FILE), "r", encoding="utf-8") as f:
            name = f.read().strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    if not name or name in (".", "..") or "/" in name or "\\" in name:
        return None
    path = os.path.join(step_root, name)
    return path if os.path.isdir(path) else None


def load_fallback() -> StepContext:
    """Builds the context from the pipeline file (Orchest-style invocation).

    Raises:
        PipelineDefinitionNotFoundError, StepUUIDResolveError
    """
    from orchest.utils import get_pipeline, get_step_uuid

    pipeline: Pipeline = get_pipeline()
    step_uuid = get_step_uuid(pipeline)
    step = pipeline.get_step_by_uuid(step_uuid)
    pipeline_uuid = Config.PIPELINE_UUID or pipeline.properties.get("uuid") or ""
    data_root = fallback_data_root(pipeline_uuid)

    inputs = []
    for parent in step.parents:
        parent_uuid = parent.properties.get("uuid")
        latest = read_latest(os.path.join(data_root, parent_uuid))
        inputs.append(
            InputRef(
                step_uuid=parent_uuid,
                title=parent.properties.get("title", parent_uuid),
                location={"kind": "dir", "path": latest} if latest else None,
            )
        )

    return StepContext(
        source="fallback",
        step_uuid=step_uuid,
        step_title=step.properties.get("title"),
        pipeline_uuid=pipeline_uuid,
        inputs=inputs,
        step_parameters=step.get_params(),
        pipeline_parameters=pipeline.get_params(),
        fallback_step_root=os.path.join(data_root, step_uuid),
    )


def load() -> StepContext:
    """The context of the running step (context file first, then fallback).

    Raises:
        StepContextError, PipelineDefinitionNotFoundError, StepUUIDResolveError
    """
    path = Config.STEP_CONTEXT_PATH
    if path:
        return read_context_file(path)
    return load_fallback()
