"""Helpers: step UUID resolution and pipeline loading (Orchest-compatible)."""

import json
import os
import urllib.error
import urllib.request
from typing import Any, Dict

from orchest.config import Config
from orchest.error import (
    OrchestNetworkError,
    PipelineDefinitionNotFoundError,
    StepContextError,
    StepUUIDResolveError,
)
from orchest.pipeline import Pipeline


def _env_var_suggestion(pipeline: Pipeline) -> str:
    lines = [
        "Please specify a pipeline step UUID by setting the ORCHEST_STEP_UUID "
        "environment variable. Choose one of the following pipeline steps:"
    ]
    for step in pipeline.steps:
        lines.append(
            "ORCHEST_STEP_UUID=%s (Step with title '%s' and path '%s')"
            % (
                step.properties.get("uuid"),
                step.properties.get("title"),
                step.properties.get("file_path"),
            )
        )
    lines.append("For example: ORCHEST_STEP_UUID=<uuid> python myfile.py")
    return "\n".join(lines)


def pretty_print_env_var_suggestion(pipeline: Pipeline) -> None:
    """Prints how to set ORCHEST_STEP_UUID, listing the pipeline's steps."""
    print(_env_var_suggestion(pipeline), flush=True)


def get_step_uuid(pipeline: Pipeline) -> str:
    """Gets the UUID of the step that is running.

    Resolution: ``ORCHEST_STEP_UUID``; otherwise the ``step_uuid`` of the step
    context file (``ORCHEST_STEP_CONTEXT``). Orchest's resolution through the
    Jupyter sessions of an interactive session does not exist here.

    Raises:
        StepUUIDResolveError: The step's UUID cannot be resolved; the list of
            the pipeline's steps is printed as a hint.
    """
    step_uuid = os.environ.get("ORCHEST_STEP_UUID")
    if step_uuid:
        return step_uuid

    context_path = Config.STEP_CONTEXT_PATH
    if context_path:
        from orchest import _context

        try:
            return _context.read_context_file(context_path).step_uuid
        except StepContextError as e:
            raise StepUUIDResolveError(str(e)) from e

    pretty_print_env_var_suggestion(pipeline)
    raise StepUUIDResolveError('Environment variable "ORCHEST_STEP_UUID" not present.')


def get_pipeline() -> Pipeline:
    """Loads the pipeline definition at ``Config.PIPELINE_DEFINITION_PATH``.

    Raises:
        PipelineDefinitionNotFoundError: the file does not exist or the path
            is not set.
    """
    path = Config.PIPELINE_DEFINITION_PATH
    if not path:
        raise PipelineDefinitionNotFoundError(
            "Could not open the pipeline definition: ORCHEST_PIPELINE_PATH is not set."
        )
    try:
        with open(path, "r", encoding="utf-8") as f:
            pipeline_definition = json.load(f)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise PipelineDefinitionNotFoundError(f"Could not open {path}.") from None
    return Pipeline.from_json(pipeline_definition)


def _request_json(url: str) -> Dict[Any, Any]:
    """Requests the URL and parses the response as JSON."""
    try:
        with urllib.request.urlopen(url) as r:
            encoding = r.info().get_param("charset")
            data = r.read()
    except urllib.error.HTTPError:
        raise OrchestNetworkError(
            f"Failed to fetch data from {url}. The server could not fulfil the request."
        ) from None
    except urllib.error.URLError:
        raise OrchestNetworkError(
            f"Failed to fetch data from {url}. Either the specified server "
            "does not exist or the network connection could not be established."
        ) from None
    return json.loads(data.decode(encoding or "utf-8"))
