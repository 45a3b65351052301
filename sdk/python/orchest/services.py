"""Pipeline services (Orchest's ``orchest.get_service`` / ``get_services``).

The runner that started the run's services (the docker runner) hands their description to every
step in the ``ORCHEST_SERVICES`` environment variable (JSON: service name -> service). Each
service has Orchest's shape - the service from the pipeline file minus ``scope``, plus
``internal_hostname``, ``external_urls`` and ``base_paths`` - where ``internal_hostname`` and
``ports`` are where a step reaches the service (``127.0.0.1`` and the host ports the runner
published; ``container_ports`` / ``port_map`` give the ports declared in the pipeline file).
"""

import json
import os
from typing import Any, Dict

from orchest.error import ServiceNotFound, ServicesNotSupportedError

_VARIABLE = "ORCHEST_SERVICES"


def get_services() -> Dict[str, Dict[str, Any]]:
    """Gets the services of the pipeline run: service name -> service.

    Returns an empty dict when the run started no services.

    Raises:
        ServicesNotSupportedError: the runner's service description is not valid JSON.
    """
    text = os.environ.get(_VARIABLE)
    if not text:
        return {}
    try:
        services = json.loads(text)
    except ValueError as ex:
        raise ServicesNotSupportedError(
            f"{_VARIABLE} is not valid JSON ({ex}); it is written by the runner, do not set it yourself."
        ) from None
    if not isinstance(services, dict):
        raise ServicesNotSupportedError(f"{_VARIABLE} must be a JSON object of service name -> service.")
    return services


def get_service(name) -> Dict[str, Any]:
    """Gets the service of the pipeline run by name.

    Returns:
        The service: its pipeline-file fields (minus ``scope``) plus ``internal_hostname`` and
        ``ports`` (where this step reaches it), ``external_urls`` and ``base_paths``.

    Raises:
        ServiceNotFound: the run has no service of that name.
    """
    services = get_services()
    if name in services:
        return services[name]
    if not services:
        raise ServiceNotFound(
            f"Could not find service {name!r}: this run started no services (services run only with "
            "the docker runner, e.g. `orchest run --runner docker`, and only those whose scope "
            "includes \"noninteractive\")."
        )
    raise ServiceNotFound(
        f"Could not find service {name!r}; the run's services are: {', '.join(sorted(services))}."
    )
