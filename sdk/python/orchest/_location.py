"""Where an output set lives (PROTOCOL.md sections 2-3).

A location is a folder-like container of files: ``dir`` (a local folder,
below) or ``blob`` (a prefix of an Azure Blob Storage container reached
through a SAS, served mode; :mod:`orchest._blob`). A new kind is added here,
in one place: subclass :class:`Location` and register it in
:func:`parse_location`.
"""

import os
from typing import IO, Any, List, Optional

from orchest.error import UnsupportedLocationError


class Location:
    """A container of the files of one output set."""

    kind = "?"

    def describe(self) -> str:
        raise NotImplementedError

    def exists(self) -> bool:
        """Whether the output set itself exists."""
        raise NotImplementedError

    def list_files(self) -> List[str]:
        """Names of the files in the set (no sub-folders)."""
        raise NotImplementedError

    def local_path(self, name: str) -> Optional[str]:
        """Local path of a file of the set, when it has one (memory mapping)."""
        return None

    def file_size(self, name: str) -> int:
        """Size in bytes; FileNotFoundError when the file does not exist."""
        raise NotImplementedError

    def open_read(self, name: str) -> IO[bytes]:
        """Opens a file of the set; FileNotFoundError when it does not exist."""
        raise NotImplementedError

    # Writing (only needed for the step's own output set).

    def prepare_for_writing(self) -> None:
        raise NotImplementedError

    def open_write(self, name: str) -> IO[bytes]:
        raise NotImplementedError

    def remove(self, name: str) -> None:
        """Removes a file if it exists."""
        raise NotImplementedError

    def write_atomically(self, name: str, data: bytes) -> None:
        """Writes a small file so that readers see either nothing or all of it."""
        raise NotImplementedError


class DirLocation(Location):
    kind = "dir"

    def __init__(self, path: str) -> None:
        self.path = os.path.abspath(path)

    def describe(self) -> str:
        return self.path

    def exists(self) -> bool:
        return os.path.isdir(self.path)

    def list_files(self) -> List[str]:
        try:
            with os.scandir(self.path) as it:
                return sorted(e.name for e in it if e.is_file())
        except (FileNotFoundError, NotADirectoryError):
            return []

    def local_path(self, name: str) -> Optional[str]:
        return os.path.join(self.path, name)

    def file_size(self, name: str) -> int:
        return os.stat(os.path.join(self.path, name)).st_size

    def open_read(self, name: str) -> IO[bytes]:
        return open(os.path.join(self.path, name), "rb")

    def prepare_for_writing(self) -> None:
        os.makedirs(self.path, exist_ok=True)

    def open_write(self, name: str) -> IO[bytes]:
        return open(os.path.join(self.path, name), "wb")

    def remove(self, name: str) -> None:
        try:
            os.remove(os.path.join(self.path, name))
        except FileNotFoundError:
            pass

    def write_atomically(self, name: str, data: bytes) -> None:
        final = os.path.join(self.path, name)
        # A leading dot and a trailing suffix: readers never mistake it for a
        # metadata file.
        tmp = os.path.join(self.path, f".{name}.tmp-{os.getpid()}")
        try:
            with open(tmp, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, final)
        except BaseException:
            try:
                os.remove(tmp)
            except OSError:
                pass
            raise


def parse_location(obj: Any, what: str) -> Optional[Location]:
    """Turns a location object of the step context into a :class:`Location`.

    Args:
        obj: ``None`` or ``{"kind": ..., ...}``.
        what: what the location is for, used in error messages.

    Raises:
        UnsupportedLocationError: the kind is unknown or not supported here.
    """
    if obj is None:
        return None
    if isinstance(obj, Location):
        return obj
    if not isinstance(obj, dict):
        raise UnsupportedLocationError(f"Invalid location for {what}: {obj!r}.")
    kind = obj.get("kind")
    if kind == "dir":
        path = obj.get("path")
        if not isinstance(path, str) or not path:
            raise UnsupportedLocationError(
                f'Invalid location for {what}: kind "dir" needs a "path".'
            )
        return DirLocation(path)
    if kind == "blob":
        from orchest._blob import from_location_object

        return from_location_object(obj, what)
    raise UnsupportedLocationError(
        f'The location of {what} has kind "{kind}", which is not supported by this '
        'SDK build (supported: "dir", "blob").'
    )
