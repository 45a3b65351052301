"""Parameters of the running step and of its pipeline.

With a step context (``ORCHEST_STEP_CONTEXT``) the values are the ones the
engine resolved for this run; otherwise they come from the pipeline definition
at ``ORCHEST_PIPELINE_PATH`` (Orchest's behaviour).
"""

from typing import Any, Optional, Tuple

from orchest import _context
from orchest.error import StepUUIDResolveError


def _load():
    try:
        return _context.load()
    except StepUUIDResolveError as e:
        raise StepUUIDResolveError("Parameters could not be identified.") from e


def get_params() -> Tuple[dict, dict]:
    """Gets the parameters of the current step and the pipeline.

    Returns:
        A tuple of two elements, where the first is the parameters of
        the current step, the second is the parameters of the pipeline.
    """
    ctx = _load()
    return ctx.step_parameters, ctx.pipeline_parameters


def get_step_param(name: str, default: Optional[Any] = None) -> Any:
    """Gets a parameter of the current step by name.

    Args:
        name: The step parameter to get.
        default: The value to return if the parameter does not exist.

    Returns:
        The value that was mapped to the step parameter name.
    """
    return _load().step_parameters.get(name, default)


def get_pipeline_param(name: str, default: Optional[Any] = None) -> Any:
    """Gets a pipeline parameter by name.

    Args:
        name: The pipeline parameter to get.
        default: The value to return if the parameter does not exist.

    Returns:
        The value that was mapped to the pipeline parameter name.
    """
    return _load().pipeline_parameters.get(name, default)
