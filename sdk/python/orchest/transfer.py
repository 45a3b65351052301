"""Transfer mechanisms to output data and get data (PROTOCOL.md section 3).

Each output is a pair of files in the step's output set: ``<stem>.data`` (the
payload) and ``<stem>.meta.json`` (what it is). ``stem`` is ``unnamed`` or
``named-<percent-encoded name>``. The payload is written first and the
metadata last (through a temporary file and a rename), so a reader never sees
half an output.
"""

import datetime
import io
import json
import math
import os
import pickle
import sys
import warnings
from collections import defaultdict
from enum import Enum
from typing import Any, Callable, Dict, List, Optional, Tuple
from urllib.parse import quote

from orchest import _context, error
from orchest._location import DirLocation, Location, parse_location
from orchest.config import Config


class Serialization(Enum):
    """Possible types of serialization.

    Types are:

        * ``ARROW_TABLE`` (Arrow IPC stream)
        * ``ARROW_BATCH`` (Arrow IPC stream with one batch)
        * ``PICKLE``
        * ``JSON`` (ours: strict UTF-8 JSON, readable from any language)
    """

    ARROW_TABLE = 0
    ARROW_BATCH = 1
    PICKLE = 2
    JSON = 3


_DATA_SUFFIX = ".data"
_META_SUFFIX = ".meta.json"
_UNNAMED_STEM = "unnamed"
_NAMED_PREFIX = "named-"
_JSON_CHUNK_CHARS = 1 << 20

# --- warnings ----------------------------------------------------------------

_MULTIPLE_DATA_TRANSFER_CALLS_HOW_TO_SILENCE = (
    "To silence all warnings related to calling data transfer functions multiple "
    "times, set orchest.Config.silence_multiple_data_transfer_calls_warning to True."
)

# Names (None = unnamed) output by this process, to warn when one is output again.
_output_names: set = set()
_get_inputs_called = False
# Fallback mode: step data folder -> name of the output set this process writes.
_fallback_output_sets: Dict[str, str] = {}


def _same_name_output_twice_warning(name: Optional[str]) -> str:
    what = "The unnamed output" if name is None else f'The output named "{name}"'
    return (
        f"WARNING: {what} was output more than once by this step; the latest "
        "output replaces the earlier one. " + _MULTIPLE_DATA_TRANSFER_CALLS_HOW_TO_SILENCE
    )


_GET_INPUTS_CALLED_TWICE_WARNING = (
    "WARNING: `get_inputs` was called more than once; every call loads all input "
    "data again. Keep the result of the first call in a variable instead. "
    + _MULTIPLE_DATA_TRANSFER_CALLS_HOW_TO_SILENCE
)


def _print_warning_message(msg: str, category=RuntimeWarning, stacklevel=3) -> None:
    # Print only the message (no file, line or category): in a notebook the
    # location would point into the SDK or the kernel, which helps nobody.
    original = warnings.formatwarning
    warnings.formatwarning = lambda message, *args, **kwargs: f"{message}\n"
    try:
        warnings.warn(msg, category=category, stacklevel=stacklevel)
    finally:
        warnings.formatwarning = original


def _reset_state() -> None:
    """Forgets what this process has output and read (used by tests)."""
    global _get_inputs_called
    _output_names.clear()
    _get_inputs_called = False
    _fallback_output_sets.clear()


# --- names ---------------------------------------------------------------------


def _check_data_name_validity(name: Optional[str]) -> None:
    if not isinstance(name, (str, type(None))):
        raise TypeError("Name should be of type string or `None`.")

    if name is None:
        return

    if name == Config._RESERVED_UNNAMED_OUTPUTS_STR:
        raise ValueError(f"'{Config._RESERVED_UNNAMED_OUTPUTS_STR}' is a reserved `name`.")

    if Config.__METADATA_SEPARATOR__ in name:
        raise ValueError(f"'{Config.__METADATA_SEPARATOR__}' cannot be part of the `name`.")


def _validated_name(name: Optional[str]) -> Optional[str]:
    try:
        _check_data_name_validity(name)
    except (ValueError, TypeError) as e:
        raise error.DataInvalidNameError(e) from None
    return name


def _stem(name: Optional[str]) -> str:
    """File stem of an output (PROTOCOL.md section 3)."""
    if name is None:
        return _UNNAMED_STEM
    # quote() keeps exactly RFC 3986's unreserved characters with safe="" and
    # writes every other UTF-8 byte as %XX with upper-case hex.
    return _NAMED_PREFIX + quote(name, safe="")


# --- serialization ---------------------------------------------------------------


def _pyarrow():
    """The pyarrow module, or None when it is not installed."""
    try:
        import pyarrow  # noqa: F401
        import pyarrow.ipc  # noqa: F401
    except ImportError:
        return None
    return sys.modules["pyarrow"]


def _is_json_able(data: Any) -> bool:
    """Whether JSON reproduces ``data`` exactly (strict, see PROTOCOL.md).

    Only None, bool, int, finite float, str (encodable as UTF-8), list and
    dict with str keys, by exact type (subclasses such as OrderedDict or
    IntEnum are pickled so that they round-trip). A container reached twice
    (shared or cyclic) is not JSON-able either: JSON would duplicate it.
    """
    seen = set()
    stack = [data]
    while stack:
        value = stack.pop()
        t = type(value)
        if value is None or t is bool or t is int:
            continue
        if t is float:
            if not math.isfinite(value):
                return False
            continue
        if t is str:
            if not value.isascii():
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError:
                    return False
            continue
        if t is list or t is dict:
            if id(value) in seen:
                return False
            seen.add(id(value))
            if t is list:
                stack.extend(value)
            else:
                for key, item in value.items():
                    if type(key) is not str:
                        return False
                    stack.append(key)
                    stack.append(item)
            continue
        return False
    return True


def _json_writer(data: Any) -> Callable[[Any], None]:
    def write(f) -> None:
        # The C encoder is only used for one-shot encoding; writing the text in
        # slices avoids a second full copy as bytes.
        text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        wrapper = io.TextIOWrapper(f, encoding="utf-8", newline="\n")
        try:
            for start in range(0, len(text), _JSON_CHUNK_CHARS):
                wrapper.write(text[start : start + _JSON_CHUNK_CHARS])
            wrapper.flush()
        finally:
            wrapper.detach()

    return write


def _pickle_writer(data: Any) -> Callable[[Any], None]:
    def write(f) -> None:
        try:
            pickle.dump(data, f, protocol=pickle.DEFAULT_PROTOCOL)
        except OSError:
            raise
        except Exception as e:  # PicklingError, TypeError, AttributeError, ...
            raise error.SerializationError(
                f"Could not pickle data of type {type(data)}. ({e})"
            ) from e

    return write


def _arrow_writer(data: Any, batch: bool) -> Callable[[Any], None]:
    def write(f) -> None:
        pa = _pyarrow()
        try:
            with pa.ipc.new_stream(f, data.schema) as writer:
                if batch:
                    writer.write_batch(data)
                else:
                    writer.write_table(data)
        except OSError:
            raise
        except Exception as e:
            raise error.SerializationError(
                f"Could not serialize data of type {type(data)}. ({e})"
            ) from e

    return write


def _pandas_to_arrow(df: Any) -> Any:
    """The DataFrame as an Arrow table, or None when Arrow cannot represent
    it faithfully (pyarrow missing, non-str or duplicate column names, types
    Arrow cannot convert): it is then pickled."""
    pa = _pyarrow()
    if pa is None:
        return None
    try:
        columns = list(df.columns)
        if not all(type(c) is str for c in columns) or len(set(columns)) != len(columns):
            return None
        return pa.Table.from_pandas(df)
    except Exception:
        return None


def _choose_serialization(
    data: Any,
) -> Tuple[Serialization, Callable[[Any], None], Dict[str, Any]]:
    """How ``data`` is written: (serialization, writer, extra metadata)."""
    pa = sys.modules.get("pyarrow")
    if pa is not None:
        if isinstance(data, pa.Table):
            return Serialization.ARROW_TABLE, _arrow_writer(data, batch=False), {}
        if isinstance(data, pa.RecordBatch):
            return Serialization.ARROW_BATCH, _arrow_writer(data, batch=True), {}

    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(data, pd.DataFrame):
        table = _pandas_to_arrow(data)
        if table is not None:
            return (
                Serialization.ARROW_TABLE,
                _arrow_writer(table, batch=False),
                {"pandas": True},
            )
        return Serialization.PICKLE, _pickle_writer(data), {}

    if _is_json_able(data):
        return Serialization.JSON, _json_writer(data), {}
    return Serialization.PICKLE, _pickle_writer(data), {}


def _utc_timestamp() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="microseconds")


def _write_output(
    location: Location,
    name: Optional[str],
    data: Any,
    serialization: Optional[Serialization] = None,
) -> Dict[str, Any]:
    """Writes one output into an output set; returns its metadata."""
    stem = _stem(name)
    data_file = stem + _DATA_SUFFIX
    meta_file = stem + _META_SUFFIX

    extra: Dict[str, Any] = {}
    if serialization is None:
        serialization, writer, extra = _choose_serialization(data)
    elif isinstance(serialization, Serialization):
        # Pre-serialized payload (bytes-like, e.g. bytes or a pyarrow Buffer).
        def writer(f, _payload=data) -> None:
            f.write(memoryview(_payload))

    else:
        raise ValueError("Function not defined for specified 'serialization'")

    location.prepare_for_writing()
    # An earlier output of this name stops being visible before its payload is
    # replaced, so a crash in between leaves no output rather than a mix.
    location.remove(meta_file)
    try:
        with location.open_write(data_file) as f:
            writer(f)
            f.flush()
            try:
                os.fsync(f.fileno())
            except (OSError, AttributeError, io.UnsupportedOperation):
                pass
    except BaseException:
        try:
            location.remove(data_file)
        except Exception:
            pass  # best effort: the original error is the one to report
        raise

    meta: Dict[str, Any] = {
        "name": name,
        "serialization": serialization.name,
        "timestamp": _utc_timestamp(),
        "size": location.file_size(data_file),
        "producer": "python",
    }
    meta.update(extra)
    location.write_atomically(meta_file, json.dumps(meta, ensure_ascii=False).encode("utf-8"))
    return meta


# --- reading ---------------------------------------------------------------------


class _OutputEntry:
    def __init__(self, stem: str, meta: Dict[str, Any]) -> None:
        self.stem = stem
        self.meta = meta
        name = meta.get("name")
        # "unnamed" is what Orchest wrote for unnamed outputs; accept it.
        self.name: Optional[str] = (
            None if name in (None, Config._RESERVED_UNNAMED_OUTPUTS_STR) else name
        )
        self.serialization: str = meta["serialization"]
        self.timestamp: str = meta.get("timestamp") or ""


def _parse_meta(raw: bytes, where: str) -> Dict[str, Any]:
    try:
        meta = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise error.InvalidMetaDataError(f"Metadata {where} is not valid JSON.") from None
    if not isinstance(meta, dict):
        raise error.InvalidMetaDataError(f"Metadata {where} is not a JSON object.")
    serialization = meta.get("serialization")
    if serialization not in Serialization.__members__:
        raise error.InvalidMetaDataError(
            f"Metadata {where} has an invalid serialization ({serialization})."
        )
    name = meta.get("name")
    if not isinstance(name, (str, type(None))):
        raise error.InvalidMetaDataError(f"Metadata {where} has an invalid name ({name!r}).")
    timestamp = meta.get("timestamp")
    if timestamp is not None:
        try:
            datetime.datetime.fromisoformat(timestamp)
        except (TypeError, ValueError):
            raise error.InvalidMetaDataError(
                f"Metadata {where} has an invalid timestamp ({timestamp})."
            ) from None
    return meta


def _list_outputs(location: Location) -> List[_OutputEntry]:
    """The outputs of a set, in the order they were output.

    A payload without metadata (a write that did not finish) is ignored.
    """
    entries = []
    for file_name in location.list_files():
        if file_name.startswith(".") or not file_name.endswith(_META_SUFFIX):
            continue
        stem = file_name[: -len(_META_SUFFIX)]
        where = f"{file_name} of {location.describe()}"
        try:
            with location.open_read(file_name) as f:
                raw = f.read()
        except FileNotFoundError:
            continue  # replaced while listing
        entries.append(_OutputEntry(stem, _parse_meta(raw, where)))
    entries.sort(key=lambda e: (e.timestamp, e.stem))
    return entries


def _not_found_message(title: str, step_uuid: str) -> str:
    return f'Output from incoming step "{title}" ("{step_uuid}") cannot be found. Try rerunning it.'


def _strict_json_constant(value: str) -> Any:
    raise ValueError(f"{value} is not valid JSON")


def _decode(location: Location, entry: _OutputEntry) -> Any:
    data_file = entry.stem + _DATA_SUFFIX
    serialization = entry.serialization

    if serialization == Serialization.JSON.name:
        with io.TextIOWrapper(location.open_read(data_file), encoding="utf-8") as text:
            return json.load(text, parse_constant=_strict_json_constant)

    if serialization == Serialization.PICKLE.name:
        with location.open_read(data_file) as f:
            return pickle.load(f)

    pa = _pyarrow()
    if pa is None:
        raise error.DeserializationError(
            f"it is serialized as {serialization} and pyarrow is not installed"
        )
    path = location.local_path(data_file)
    if path is not None:
        source = pa.memory_map(path, "r")  # zero-copy
    else:
        source = pa.PythonFile(location.open_read(data_file), mode="r")
    with source:
        reader = pa.ipc.open_stream(source)
        if serialization == Serialization.ARROW_BATCH.name:
            for batch in reader:
                return batch
            schema = reader.schema
            return pa.RecordBatch.from_arrays(
                [pa.array([], type=f.type) for f in schema], schema=schema
            )
        table = reader.read_all()
    if entry.meta.get("pandas") is True:
        return table.to_pandas()
    return table


def _read_output(location: Location, entry: _OutputEntry, title: str, step_uuid: str) -> Any:
    data_file = entry.stem + _DATA_SUFFIX
    label = "" if entry.name is None else f' "{entry.name}"'
    try:
        size = location.file_size(data_file)
    except FileNotFoundError:
        raise error.DiskOutputNotFoundError(_not_found_message(title, step_uuid)) from None
    expected = entry.meta.get("size")
    if type(expected) is int and expected != size:
        raise error.DeserializationError(
            f'Output{label} from incoming step "{title}" ("{step_uuid}") is incomplete: '
            f"{size} of {expected} bytes. Try rerunning it."
        )
    try:
        return _decode(location, entry)
    except FileNotFoundError:
        raise error.DiskOutputNotFoundError(_not_found_message(title, step_uuid)) from None
    except error.OrchestNetworkError:
        raise  # storage failures are not decoding failures (never ignored)
    except error.DeserializationError as e:
        raise error.DeserializationError(
            f'Output{label} from incoming step "{title}" ("{step_uuid}") '
            f"({location.describe()}) could not be deserialized: {e}"
        ) from None
    except MemoryError:
        raise
    except Exception as e:
        raise error.DeserializationError(
            f'Output{label} from incoming step "{title}" ("{step_uuid}") '
            f"({location.describe()}) could not be deserialized: "
            f"{type(e).__name__}: {e}"
        ) from e


# --- context -----------------------------------------------------------------------


def _load_context(resolve_failure_message: str) -> "_context.StepContext":
    try:
        return _context.load()
    except error.StepUUIDResolveError as e:
        raise error.StepUUIDResolveError(resolve_failure_message) from e


def _own_output_location(ctx: "_context.StepContext") -> Tuple[Location, Callable[[], None]]:
    """The step's own output set and what to do after each output."""
    if ctx.source == "fallback":
        return _fallback_output_location(ctx.fallback_step_root)
    if ctx.output is None:
        raise error.StepContextError(
            'The step context has no "output" location: this step cannot output data.'
        )
    location = parse_location(ctx.output, f'the output set of step "{ctx.step_uuid}"')
    return location, lambda: None


def _fallback_output_location(step_root: str) -> Tuple[Location, Callable[[], None]]:
    """Fallback mode: a new ``manual-<utc timestamp>`` set per process; LATEST
    is pointed at it after every output (PROTOCOL.md section 2)."""
    set_name = _fallback_output_sets.get(step_root)
    if set_name is None or not os.path.isdir(os.path.join(step_root, set_name)):
        os.makedirs(step_root, exist_ok=True)
        base = "manual-" + datetime.datetime.now(datetime.timezone.utc).strftime(
            "%Y%m%dT%H%M%S%fZ"
        )
        set_name, n = base, 1
        while True:
            try:
                os.mkdir(os.path.join(step_root, set_name))
                break
            except FileExistsError:
                n += 1
                set_name = f"{base}-{n}"
        _fallback_output_sets[step_root] = set_name

    def commit() -> None:
        DirLocation(step_root).write_atomically(_context.LATEST_FILE, set_name.encode("utf-8"))

    return DirLocation(os.path.join(step_root, set_name)), commit


# --- public API ----------------------------------------------------------------------


def output_to_disk(
    data: Any,
    name: Optional[str],
    serialization: Optional[Serialization] = None,
) -> None:
    """Outputs data to disk.

    Args:
        data: Data to output.
        name: Name of the output data. As a string, it becomes the name
            of the data, when ``None``, the data is considered nameless.
            This affects the way the data can be later retrieved using
            :func:`get_inputs`.
        serialization: Serialization of the `data` in case it is already
            serialized (then `data` is bytes-like). For possible values see
            :class:`Serialization`.

    Raises:
        DataInvalidNameError: The name of the output data is invalid,
            e.g because it is a reserved name (``"unnamed"``) or because
            it contains a reserved substring.
        PipelineDefinitionNotFoundError: If the pipeline definition file
            could not be found (fallback mode).
        StepUUIDResolveError: The step's UUID cannot be resolved and
            thus it cannot determine where to output data to.
        SerializationError: The data could not be serialized.

    Note:
        A step may output one unnamed value and any number of named values
        (ours; Orchest kept only the last output). Outputting the same name
        again replaces the earlier output.
    """
    name = _validated_name(name)
    if name in _output_names and not Config.silence_multiple_data_transfer_calls_warning:
        _print_warning_message(_same_name_output_twice_warning(name))

    ctx = _load_context("Failed to determine where to output data to.")
    location, commit = _own_output_location(ctx)
    _write_output(location, name, data, serialization)
    commit()
    _output_names.add(name)


def output_to_memory(data: Any, name: Optional[str], disk_fallback: bool = True) -> None:
    """Deprecated: outputs data; memory passing no longer exists.

    Warning:
        Memory passing is not supported in this version of Orchest, this
        function will output to disk.
    """
    msg = (
        "Memory passing is not supported in this version of Orchest. This function "
        "will output to disk. No changes to your code are required."
    )
    _print_warning_message(msg)
    output(data, name)


def output(data: Any, name: Optional[str]) -> None:
    """Outputs data so that it can be retrieved by the next step.

    Args:
        data: Data to output.
        name: Name of the output data. As a string, it becomes the name
            of the data, when ``None``, the data is considered nameless.
            This affects the way the data can be later retrieved using
            :func:`get_inputs`.

    Raises:
        DataInvalidNameError: The name of the output data is invalid,
            e.g because it is a reserved name (``"unnamed"``) or because
            it contains a reserved substring.
        StepUUIDResolveError: The step's UUID cannot be resolved and
            thus data cannot be outputted.

    Example:
        >>> data = "Data I would like to use in my next step"
        >>> output(data, name="my_data")
    """
    _validated_name(name)
    return output_to_disk(data, name)


def get_inputs(ignore_failure: bool = False, verbose: bool = False) -> Dict[str, Any]:
    """Gets all data sent from incoming steps.

    Args:
        ignore_failure: If ``True`` then the returned result can have
            ``None`` values if the data of a step could not be loaded.
            If ``False``, then this function fails if any of the incoming
            steps' data could not be loaded. A parent that never produced
            outputs always fails (:exc:`OutputNotFoundError`).
        verbose: If ``True`` print all the steps from which the current
            step has retrieved data.

    Returns:
        ``{"unnamed": [...], "<name>": value, ...}``. ``"unnamed"`` is always
        present and lists the unnamed outputs of the parents in the order of
        the step's incoming connections.

    Raises:
        InputNameCollisionError: Multiple steps have outputted data with
            the same name.
        OutputNotFoundError: An incoming step has no output set.
        StepUUIDResolveError: The step's UUID cannot be resolved and
            thus it cannot determine what inputs to get.
    """
    global _get_inputs_called
    if _get_inputs_called and not Config.silence_multiple_data_transfer_calls_warning:
        _print_warning_message(_GET_INPUTS_CALLED_TWICE_WARNING)

    ctx = _load_context("Failed to determine from where to get data.")

    # Resolve every parent and check for name collisions before loading data.
    plan = []
    collisions: Dict[str, List[str]] = defaultdict(list)
    for parent in ctx.inputs:
        if parent.location is None:
            raise error.OutputNotFoundError(_not_found_message(parent.title, parent.step_uuid))
        location = parse_location(
            parent.location,
            f'the output of incoming step "{parent.title}" ("{parent.step_uuid}")',
        )
        if not location.exists():
            raise error.OutputNotFoundError(_not_found_message(parent.title, parent.step_uuid))
        entries = _list_outputs(location)
        plan.append((parent, location, entries))
        for entry in entries:
            if entry.name is not None:
                collisions[entry.name].append(parent.title)

    collisions = {k: v for k, v in collisions.items() if len(v) > 1}
    if collisions:
        msg = "".join(f"\n{name}: {sorted(titles)}" for name, titles in collisions.items())
        raise error.InputNameCollisionError(
            f"Name collisions between input data coming from different steps: {msg}"
        )

    data: Dict[str, Any] = {Config._RESERVED_UNNAMED_OUTPUTS_STR: []}
    for parent, location, entries in plan:
        failed = False
        for entry in entries:
            try:
                value = _read_output(location, entry, parent.title, parent.step_uuid)
            except (error.OutputNotFoundError, error.DeserializationError):
                if not ignore_failure:
                    raise
                value, failed = None, True
            if entry.name is None:
                data[Config._RESERVED_UNNAMED_OUTPUTS_STR].append(value)
            else:
                data[entry.name] = value
        if verbose:
            if failed:
                print(f'Failed to retrieve input from step: "{parent.title}"')
            else:
                print(f'Retrieved input from step: "{parent.title}"')

    # Only a call that returned data counts (a failed call is retried freely).
    _get_inputs_called = True
    return data
