"""Pipeline services (Orchest's ``orchest.get_service`` / ``get_services``).

Services are not supported yet by Orchest.Functions: both functions raise
:class:`orchest.error.ServicesNotSupportedError`.
"""

from typing import Any, Dict

from orchest.error import ServicesNotSupportedError

_NOT_SUPPORTED = (
    "Services are not supported yet by Orchest.Functions: {call} cannot return "
    "service information. Remove the call or run the service outside the pipeline."
)


def get_service(name) -> Dict[str, Any]:
    """Gets the service of the pipeline by name (not supported yet).

    Raises:
        ServicesNotSupportedError: always.
    """
    raise ServicesNotSupportedError(_NOT_SUPPORTED.format(call=f"get_service({name!r})"))


def get_services() -> Dict[str, Dict[str, Any]]:
    """Gets the services of the pipeline (not supported yet).

    Raises:
        ServicesNotSupportedError: always.
    """
    raise ServicesNotSupportedError(_NOT_SUPPORTED.format(call="get_services()"))
