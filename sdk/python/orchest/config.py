"""SDK configuration.

Same attributes as Orchest's ``orchest.Config``. The values that come from the
environment are read when they are accessed (not frozen at import time), so a
process that changes ``os.environ`` sees the new values. Assigning an attribute
(``Config.PIPELINE_DEFINITION_PATH = "..."``) overrides the environment until
the attribute is deleted again (this is what ``unittest.mock.patch`` does).
"""

import os
from typing import Callable, Dict


def _env(name: str, default=None) -> Callable[[type], object]:
    return lambda cls: os.environ.get(name) or default


def _step_data_dir(cls) -> str:
    # Orchest: "/project-dir/.orchest/pipelines/<pipeline uuid>/data/{step_uuid}"
    return os.path.join(
        cls.PROJECT_DIR, ".orchest", "pipelines", cls.PIPELINE_UUID, "data", "{step_uuid}"
    )


class _ConfigMeta(type):
    # Attributes computed on access unless overridden on the class.
    _dynamic: Dict[str, Callable[[type], object]] = {
        "SESSION_UUID": _env("ORCHEST_SESSION_UUID"),
        "SESSION_TYPE": _env("ORCHEST_SESSION_TYPE"),
        "PROJECT_UUID": _env("ORCHEST_PROJECT_UUID"),
        "PIPELINE_UUID": _env("ORCHEST_PIPELINE_UUID", ""),
        "PIPELINE_DEFINITION_PATH": _env("ORCHEST_PIPELINE_PATH"),
        # Ours.
        "STEP_UUID": _env("ORCHEST_STEP_UUID"),
        "STEP_CONTEXT_PATH": _env("ORCHEST_STEP_CONTEXT"),
        "PROJECT_DIR": _env("ORCHEST_PROJECT_DIR", "/project-dir"),
        "DATA_DIR": _env("ORCHEST_DATA_DIR", "/data"),
        "RUN_UUID": _env("ORCHEST_RUN_UUID"),
        "STEP_DATA_DIR": _step_data_dir,
    }

    def __getattr__(cls, name):
        getter = _ConfigMeta._dynamic.get(name)
        if getter is None:
            raise AttributeError(name)
        return getter(cls)


class Config(metaclass=_ConfigMeta):
    """Configuration of the SDK (Orchest-compatible).

    Environment-backed attributes (read on access): ``SESSION_UUID``,
    ``SESSION_TYPE``, ``PROJECT_UUID``, ``PIPELINE_UUID``,
    ``PIPELINE_DEFINITION_PATH`` and, ours, ``STEP_UUID``,
    ``STEP_CONTEXT_PATH``, ``PROJECT_DIR``, ``DATA_DIR``, ``RUN_UUID``,
    ``STEP_DATA_DIR``.
    """

    # Orchest used this for the interactive-session services API.
    ORCHEST_API_ADDRESS = "orchest-api"

    # Separator of Orchest's metadata; names must not contain it.
    __METADATA_SEPARATOR__ = "; "

    # Reserved key of the aggregated unnamed outputs list in the
    # dictionary returned by ``get_inputs()``.
    _RESERVED_UNNAMED_OUTPUTS_STR = "unnamed"

    # Calling get_inputs() more than once, or outputting the same name more
    # than once, prints a warning; setting this to True silences them.
    silence_multiple_data_transfer_calls_warning: bool = False

    @classmethod
    def get_step_data_dir(cls, step_uuid: str) -> str:
        """Folder holding the output sets of a step (embedded layout)."""
        return cls.STEP_DATA_DIR.format(step_uuid=step_uuid)
