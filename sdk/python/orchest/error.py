"""Errors raised by the SDK.

The names, the hierarchy and the messages follow Orchest's SDK so that code
catching Orchest's errors keeps working. Errors marked "ours" are specific to
Orchest.Functions; all derive from :class:`Error`.
"""


class Error(Exception):
    """Base class of every error raised by the SDK."""


class PipelineDefinitionNotFoundError(Error):
    """The pipeline definition cannot be found (wraps FileNotFoundError)."""


class SerializationError(Error):
    """An object cannot be serialized."""


class DeserializationError(Error):
    """An object cannot be deserialized."""


class ObjectNotFoundError(Error):
    """Legacy (Orchest's in-memory store): the object cannot be found."""


class OutputNotFoundError(Error):
    """The output from a previous step cannot be found."""


class DiskOutputNotFoundError(OutputNotFoundError):
    """OutputNotFoundError for outputs stored on disk."""


class MemoryOutputNotFoundError(OutputNotFoundError):
    """Legacy (Orchest's in-memory store): OutputNotFoundError for memory."""


class OrchestNetworkError(Error):
    """A resource fails to respond or is unable to fulfil the request."""


class OrchestInternalDataSourceError(Error):
    """Legacy: it is not allowed to request internal data sources."""


class StepUUIDResolveError(Error):
    """The step UUID could not be resolved."""


class InputNameCollisionError(Error):
    """Multiple input data objects have the same name."""


class DataInvalidNameError(Error):
    """Data has an invalid name."""


class ServiceNotFound(Error):
    """A service could not be found by name."""


class InvalidMetaDataError(Error):
    """Metadata is invalid."""

    helper_message = (
        "The issue might be caused due to cached metadata when upgrading to "
        'the new version of Orchest, try to delete the ".orchest/pipelines" '
        "directory inside your pipeline directory or try rerunning the steps "
        "that produced data."
    )

    def __init__(self, msg="", *args, **kwargs):
        # No leading space when the message is empty.
        msg = " ".join([msg, self.helper_message]) if msg else self.helper_message
        super().__init__(msg, *args, **kwargs)


class UnrecognizedSessionType(Error):
    """The session type is neither interactive nor noninteractive."""


class SessionNotFound(Error):
    """A session was not found."""


# --- ours -------------------------------------------------------------------


class ServicesNotSupportedError(Error):
    """Ours: the runner's description of the run's services (ORCHEST_SERVICES) is unusable."""


class UnsupportedLocationError(Error):
    """Ours: the step context names a storage location this SDK cannot use."""


class StepContextError(Error):
    """Ours: the step context file (ORCHEST_STEP_CONTEXT) is missing or invalid."""
