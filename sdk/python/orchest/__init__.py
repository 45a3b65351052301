"""Orchest.Functions step SDK, compatible with Orchest's ``orchest`` package.

    import orchest
    inputs = orchest.get_inputs()          # {"unnamed": [...], "<name>": ...}
    orchest.output(value, name="my_data")  # or name=None
    orchest.get_step_param("k", default=1)

See sdk/PROTOCOL.md for how the engine and the SDK exchange data.
"""

from orchest import error, pipeline, utils  # noqa: F401
from orchest._version import __version__
from orchest.config import Config
from orchest.parameters import get_pipeline_param, get_step_param
from orchest.services import get_service, get_services
from orchest.transfer import get_inputs, output
from orchest import parameters, services, transfer  # noqa: F401,E402

__all__ = [
    "Config",
    "get_inputs",
    "output",
    "get_step_param",
    "get_pipeline_param",
    "get_service",
    "get_services",
    "__version__",
]
