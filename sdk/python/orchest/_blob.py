"""Output sets in Azure Blob Storage through SAS URLs (location kind ``blob``,
PROTOCOL.md section 2), with the standard library only.

A location is ``{"kind": "blob", "container_url": ..., "prefix": ...,
"query": ...}``; file ``F`` of the set is the blob ``prefix + F`` of the
container. Requests use the Blob service REST API directly:

* List Blobs (``restype=container&comp=list``, XML, ``NextMarker`` paging);
* Get Blob, streamed (a dropped connection resumes with a ``Range`` request
  pinned to the blob's ETag);
* Put Blob for payloads up to one block, otherwise Put Block per block and
  Put Block List, holding at most one block in memory;
* Delete Blob.

Every message this module produces names the container URL and the blob
name, never the SAS query: the query is a secret (it grants access until it
expires), and messages end up in logs.
"""

import base64
import email.utils
import http.client
import io
import os
import random
import re
import ssl
import time
import xml.etree.ElementTree as ET
from typing import Dict, IO, List, Optional, Tuple
from urllib.parse import quote, urlsplit

from orchest import error
from orchest._location import Location

# The REST API version of every request (sent as x-ms-version). Azure accepts
# it; Azurite 3.37 accepts it with or without --skipApiVersionCheck.
API_VERSION = "2021-08-06"

# Payloads larger than one block are uploaded block by block (Put Block +
# Put Block List); smaller ones with a single Put Blob. Tests lower it.
BLOCK_SIZE = 8 * 1024 * 1024

# Page size of List Blobs (None: the service's default, 5000). Tests lower it
# to exercise NextMarker paging.
LIST_PAGE_SIZE: Optional[int] = None

# Attempts per request (first try included) on 5xx, 408, 429 and connection
# errors, with exponential backoff from RETRY_BACKOFF seconds.
ATTEMPTS = 4
RETRY_BACKOFF = 0.5

TIMEOUT = 120.0  # seconds without progress on one socket operation

_READ_BUFFER = 1024 * 1024
_RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504})
_NETWORK_ERRORS = (OSError, http.client.HTTPException)  # ConnectionError, timeouts included

_SECRET_QUERY = re.compile(r"\?[^\s\"'<>]*")
_SIG = re.compile(r"(?i)(sig=)[^&\s\"'<>]*")


def redact(text: str) -> str:
    """Removes URL query strings (SAS tokens) and any ``sig=`` value from text."""
    return _SIG.sub(r"\1REDACTED", _SECRET_QUERY.sub("?REDACTED", str(text)))


# --- HTTP ----------------------------------------------------------------------------


class _Response:
    def __init__(self, status: int, headers: Dict[str, str], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body


def _headers(extra: Optional[Dict[str, str]] = None) -> Dict[str, str]:
    headers = {
        "x-ms-version": API_VERSION,
        "x-ms-date": email.utils.formatdate(usegmt=True),
    }
    headers.update(extra or {})
    return headers


def _error_details(status: int, headers: Dict[str, str], body: bytes) -> str:
    """``403 AuthorizationFailure (Server failed to authenticate ...)``."""
    code = headers.get("x-ms-error-code") or ""
    message = ""
    if body:
        try:
            root = ET.fromstring(body)
            code = code or (root.findtext("Code") or "")
            message = (root.findtext("Message") or "").split("\n", 1)[0].strip()
        except ET.ParseError:
            pass
    details = f"HTTP {status}"
    if code:
        details += f" {code}"
    if message:
        details += f" ({message})"
    return redact(details)


def _hint(status: int) -> str:
    if status == 403:
        return (
            " The SAS of the step context may have expired or may lack a permission "
            "(inputs need read and list; the output set needs read, create, write, "
            "delete and list)."
        )
    return ""


class _Http:
    """One keep-alive connection to the blob endpoint, with bounded retries."""

    def __init__(self, container_url: str) -> None:
        parts = urlsplit(container_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise error.UnsupportedLocationError(
                f'Invalid "container_url" in a "blob" location: {redact(container_url)!r}.'
            )
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = parts.port
        self._conn: Optional[http.client.HTTPConnection] = None

    def connect(self) -> http.client.HTTPConnection:
        if self.scheme == "https":
            return http.client.HTTPSConnection(
                self.host, self.port, timeout=TIMEOUT, context=ssl.create_default_context()
            )
        return http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def send(
        self,
        method: str,
        target: str,
        what: str,
        headers: Optional[Dict[str, str]] = None,
        body=None,
        ok=(200, 201, 202),
        tolerate=(),
        stream: bool = False,
    ):
        """Sends a request and returns a :class:`_Response` (or, with
        ``stream``, the open ``(connection, HTTPResponse)``).

        ``target`` is the path and query (with the SAS); ``what`` describes the
        request for messages without the SAS. Statuses in ``tolerate`` are
        returned like successes.

        Raises:
            FileNotFoundError: 404 that is not tolerated.
            OrchestNetworkError: any other failure, after retries when it is
                transient.
        """
        delay = RETRY_BACKOFF
        attempt = 1
        while True:
            conn = self.connect() if stream else (self._conn or self.connect())
            try:
                conn.request(method, target, body=body, headers=_headers(headers))
                resp = conn.getresponse()
                status = resp.status
                if stream and status in ok:
                    return conn, resp
                data = resp.read()
                response_headers = {k.lower(): v for k, v in resp.getheaders()}
                if stream or resp.will_close:
                    conn.close()
                    if conn is self._conn:
                        self._conn = None
                elif conn is not self._conn:
                    self.close()
                    self._conn = conn
            except _NETWORK_ERRORS as e:
                conn.close()
                if conn is self._conn:
                    self._conn = None
                if attempt >= ATTEMPTS:
                    raise error.OrchestNetworkError(
                        f"Blob storage request failed: {what}: "
                        f"{type(e).__name__}: {redact(e)} (after {attempt} attempts)."
                    ) from None
                attempt += 1
                time.sleep(delay * (0.75 + random.random() / 2))
                delay *= 2
                continue

            if status in ok or status in tolerate:
                return _Response(status, response_headers, data)
            if status in _RETRYABLE_STATUS and attempt < ATTEMPTS:
                attempt += 1
                time.sleep(delay * (0.75 + random.random() / 2))
                delay *= 2
                continue
            details = _error_details(status, response_headers, data)
            if status == 404:
                raise FileNotFoundError(f"{what}: {details}")
            raise error.OrchestNetworkError(
                f"Blob storage refused {what}: {details}.{_hint(status)}"
            )


# --- reading -------------------------------------------------------------------------


class _BlobReader(io.RawIOBase):
    """A streamed Get Blob; a dropped connection resumes where it stopped."""

    def __init__(self, http: _Http, target: str, what: str) -> None:
        super().__init__()
        self._http = http
        self._target = target
        self._what = what
        self._pos = 0
        self._etag: Optional[str] = None
        self._length: Optional[int] = None
        self._conn = None
        self._resp = None
        self._resumes = 0
        self._open({})

    def _open(self, extra: Dict[str, str]) -> None:
        self._conn, self._resp = self._http.send(
            "GET", self._target, self._what, headers=extra, ok=(200, 206), stream=True
        )
        self._etag = self._etag or self._resp.getheader("ETag")
        if self._length is None:
            length = self._resp.getheader("Content-Length")
            self._length = int(length) if length is not None else None

    def _resume(self, cause: BaseException) -> None:
        self._drop()
        self._resumes += 1
        if self._resumes >= ATTEMPTS:
            raise error.OrchestNetworkError(
                f"Blob storage download failed: {self._what} at byte {self._pos}: "
                f"{type(cause).__name__}: {redact(cause)}."
            ) from None
        time.sleep(RETRY_BACKOFF * self._resumes)
        headers = {"Range": f"bytes={self._pos}-"}
        if self._etag:
            headers["If-Match"] = self._etag
        self._open(headers)

    def _drop(self) -> None:
        if self._conn is not None:
            self._conn.close()
        self._conn = self._resp = None

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        if self._length is not None and self._pos >= self._length:
            return 0
        while True:
            try:
                n = self._resp.readinto(b)
            except _NETWORK_ERRORS as e:
                self._resume(e)
                continue
            if n == 0 and self._length is not None and self._pos < self._length:
                # The connection closed before the end of the blob.
                self._resume(ConnectionError("connection closed early"))
                continue
            self._pos += n
            return n

    def close(self) -> None:
        if not self.closed:
            self._drop()
        super().close()


# --- writing -------------------------------------------------------------------------


class _BlockUploader(io.RawIOBase):
    """A write-only stream that uploads a block blob.

    Bytes are gathered in one block-sized buffer; each full block is sent with
    Put Block. Closing commits: one Put Blob when everything fit in one block,
    otherwise the last block and Put Block List. Leaving a ``with`` block with
    an exception (or dropping the object unclosed) commits nothing, so an
    earlier blob of that name stays as it was.
    """

    def __init__(self, location: "BlobLocation", name: str, content_type: str) -> None:
        super().__init__()
        self._location = location
        self._name = name
        self._content_type = content_type
        self._block_size = BLOCK_SIZE
        self._buf = bytearray(self._block_size)
        self._fill = 0
        self._blocks: List[str] = []
        self._upload_id = os.urandom(6).hex()
        self._aborted = False
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:
        if self.closed:
            raise ValueError("write to closed file")
        view = memoryview(b).cast("B")
        n = len(view)
        pos = 0
        bs = self._block_size
        while pos < n:
            if self._fill == 0 and n - pos >= bs:
                # A large write goes out in place, without a copy.
                self._put_block(view[pos : pos + bs])
                pos += bs
                continue
            take = min(bs - self._fill, n - pos)
            self._buf[self._fill : self._fill + take] = view[pos : pos + take]
            self._fill += take
            pos += take
            if self._fill == bs:
                self._put_block(memoryview(self._buf))
                self._fill = 0
        self.size += n
        return n

    def _put_block(self, data) -> None:
        raw_id = f"{self._upload_id}-{len(self._blocks):06d}".encode("ascii")
        block_id = base64.b64encode(raw_id).decode("ascii")  # equal lengths
        self._location._request(
            "PUT",
            self._name,
            "Put Block",
            params=f"comp=block&blockid={quote(block_id, safe='')}",
            headers={"Content-Length": str(len(data))},
            body=data,
        )
        self._blocks.append(block_id)

    def _commit(self) -> None:
        if not self._blocks:
            self._location._request(
                "PUT",
                self._name,
                "Put Blob",
                headers={
                    "x-ms-blob-type": "BlockBlob",
                    "x-ms-blob-content-type": self._content_type,
                    "Content-Type": self._content_type,
                    "Content-Length": str(self._fill),
                },
                body=memoryview(self._buf)[: self._fill],
            )
            return
        if self._fill:
            self._put_block(memoryview(self._buf)[: self._fill])
            self._fill = 0
        body = (
            '<?xml version="1.0" encoding="utf-8"?><BlockList>'
            + "".join(f"<Latest>{b}</Latest>" for b in self._blocks)
            + "</BlockList>"
        ).encode("ascii")
        self._location._request(
            "PUT",
            self._name,
            "Put Block List",
            params="comp=blocklist",
            headers={
                "x-ms-blob-content-type": self._content_type,
                "Content-Type": "application/xml",
                "Content-Length": str(len(body)),
            },
            body=body,
        )

    @property
    def blocks_used(self) -> int:
        """How many Put Block requests the upload made (0: one Put Blob)."""
        return len(self._blocks)

    def abort(self) -> None:
        self._aborted = True
        self._buf = bytearray()
        super().close()

    def close(self) -> None:
        if self.closed:
            return
        try:
            if not self._aborted:
                self._commit()
                self._location._uploaded[self._name] = (self.size, len(self._blocks))
        finally:
            self._buf = bytearray()
            super().close()

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            self.abort()
        else:
            self.close()
        return False

    def __del__(self) -> None:
        # Never commit from the garbage collector: only an explicit close does.
        self._aborted = True
        try:
            super().__del__()
        except Exception:
            pass


# --- the location --------------------------------------------------------------------


class BlobLocation(Location):
    """An output set under a prefix of a blob container, reached through a SAS."""

    kind = "blob"

    def __init__(self, container_url: str, prefix: str, query: str) -> None:
        self.container_url = container_url.split("?", 1)[0].rstrip("/")
        self.prefix = prefix
        self.query = query.lstrip("?")
        self._http = _Http(self.container_url)
        self._container_path = urlsplit(self.container_url).path.rstrip("/")
        self._listing: Optional[List[str]] = None
        # name -> (size, blocks) of what this object uploaded (tests, file_size).
        self._uploaded: Dict[str, Tuple[int, int]] = {}

    def describe(self) -> str:
        return f"{self.container_url}/{self.prefix}"

    def __repr__(self) -> str:  # never the SAS
        return f"BlobLocation({self.describe()!r})"

    # Requests.

    def _target(self, blob: Optional[str], params: str = "") -> str:
        path = self._container_path
        if blob is not None:
            path += "/" + quote(self.prefix + blob, safe="/")
        query = "&".join(p for p in (params, self.query) if p)
        return path + ("?" + query if query else "")

    def _what(self, operation: str, blob: Optional[str]) -> str:
        where = self.describe() + (blob or "")
        return f"{operation} {where}"

    def _request(self, method, blob, operation, params="", headers=None, body=None, **kwargs):
        return self._http.send(
            method,
            self._target(blob, params),
            self._what(operation, blob),
            headers=headers,
            body=body,
            **kwargs,
        )

    def _list(self) -> Optional[List[str]]:
        """Names of the blobs directly under the prefix; None when the
        container does not exist."""
        names: List[str] = []
        marker = ""
        while True:
            params = "restype=container&comp=list&delimiter=%2F&prefix=" + quote(
                self.prefix, safe=""
            )
            if LIST_PAGE_SIZE:
                params += f"&maxresults={int(LIST_PAGE_SIZE)}"
            if marker:
                params += "&marker=" + quote(marker, safe="")
            try:
                resp = self._request("GET", None, "List Blobs", params=params)
            except FileNotFoundError:
                return None
            try:
                root = ET.fromstring(resp.body)
            except ET.ParseError as e:
                raise error.OrchestNetworkError(
                    f"Blob storage returned an invalid listing for {self.describe()}: {e}."
                ) from None
            for blob in root.iter("Blob"):
                name = blob.findtext("Name") or ""
                if name.startswith(self.prefix):
                    rest = name[len(self.prefix) :]
                    if rest and "/" not in rest:
                        names.append(rest)
            marker = root.findtext("NextMarker") or ""
            if not marker:
                return sorted(names)

    # Location.

    def exists(self) -> bool:
        # A blob "folder" exists as soon as its container does: an empty set
        # has no blobs at all. The listing is kept for list_files.
        self._listing = self._list()
        return self._listing is not None

    def list_files(self) -> List[str]:
        listing, self._listing = self._listing, None
        if listing is None:
            listing = self._list()
        return listing or []

    def file_size(self, name: str) -> int:
        if name in self._uploaded:  # just written by this object
            return self._uploaded[name][0]
        resp = self._request("HEAD", name, "Get Blob Properties")
        return int(resp.headers.get("content-length", "0"))

    def open_read(self, name: str) -> IO[bytes]:
        reader = _BlobReader(self._http, self._target(name), self._what("Get Blob", name))
        return io.BufferedReader(reader, _READ_BUFFER)

    def prepare_for_writing(self) -> None:
        pass  # the engine creates the container; blobs need no folders

    def open_write(self, name: str) -> IO[bytes]:
        return _BlockUploader(self, name, "application/octet-stream")

    def remove(self, name: str) -> None:
        self._uploaded.pop(name, None)
        self._request("DELETE", name, "Delete Blob", tolerate=(404,))

    def write_atomically(self, name: str, data: bytes) -> None:
        # A Put Blob is atomic: readers see the old blob, nothing, or all of it.
        self._request(
            "PUT",
            name,
            "Put Blob",
            headers={
                "x-ms-blob-type": "BlockBlob",
                "x-ms-blob-content-type": "application/json",
                "Content-Type": "application/json",
                "Content-Length": str(len(data)),
            },
            body=bytes(data),
        )


def from_location_object(obj: dict, what: str) -> BlobLocation:
    """A :class:`BlobLocation` from a ``{"kind": "blob", ...}`` object."""
    values = {}
    for key in ("container_url", "prefix", "query"):
        value = obj.get(key)
        if not isinstance(value, str) or (key == "container_url" and not value):
            raise error.UnsupportedLocationError(
                f'Invalid location for {what}: kind "blob" needs "container_url", '
                f'"prefix" and "query" strings ("{key}" is missing or not a string).'
            )
        values[key] = value
    prefix = values["prefix"]
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    return BlobLocation(values["container_url"], prefix, values["query"])
