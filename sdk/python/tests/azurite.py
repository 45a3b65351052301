"""A real Azurite (Azure Storage emulator) for the blob tests, and the
service SAS tokens the engine would hand to steps, signed here by hand.

Azurite is started once per test session on a free port with in-memory
storage (``infra/local/azurite.sh`` installs it into ``<repo>/.tools/azurite``).
When neither node nor the install is available, the blob tests are skipped,
except under ``CI=true`` where they fail.
"""

import base64
import datetime
import hashlib
import hmac
import http.client
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from typing import Optional
from urllib.parse import quote, urlencode

REPO_ROOT = Path(__file__).resolve().parents[3]
ACCOUNT = "devstoreaccount1"
# Azurite's well-known development key (public, not a secret).
ACCOUNT_KEY = base64.b64decode(
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)
SAS_VERSION = "2021-08-06"
INPUT_PERMISSIONS = "rl"
OUTPUT_PERMISSIONS = "rcwdl"


class AzuriteUnavailable(Exception):
    pass


def _sign(string_to_sign: str) -> str:
    digest = hmac.new(ACCOUNT_KEY, string_to_sign.encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def _expiry(hours: float = 2) -> str:
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=hours)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def container_sas(container: str, permissions: str, expiry: Optional[str] = None) -> str:
    """A service SAS for a container (sr=c), version 2021-08-06: the
    string-to-sign of versions 2020-12-06 and later (permissions, start,
    expiry, canonical resource, identifier, IP, protocol, version, resource,
    snapshot time, encryption scope, rscc, rscd, rsce, rscl, rsct)."""
    se = expiry or _expiry()
    string_to_sign = "\n".join(
        [
            permissions,
            "",
            se,
            f"/blob/{ACCOUNT}/{container}",
            "",
            "",
            "",
            SAS_VERSION,
            "c",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ]
    )
    return urlencode(
        {"sv": SAS_VERSION, "sr": "c", "sp": permissions, "se": se, "sig": _sign(string_to_sign)}
    )


def account_sas(permissions: str = "rwdlac") -> str:
    """An account SAS (used by the tests only to create containers)."""
    se = _expiry()
    string_to_sign = "\n".join(
        [ACCOUNT, permissions, "b", "sco", "", se, "", "", SAS_VERSION, "", ""]
    )
    return urlencode(
        {
            "sv": SAS_VERSION,
            "ss": "b",
            "srt": "sco",
            "sp": permissions,
            "se": se,
            "sig": _sign(string_to_sign),
        }
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _find_azurite() -> Path:
    if shutil.which("node") is None:
        raise AzuriteUnavailable("node is not installed")
    bin_dir = REPO_ROOT / ".tools" / "azurite" / "node_modules" / ".bin"
    binary = bin_dir / "azurite-blob"
    if not binary.exists():
        script = REPO_ROOT / "infra" / "local" / "azurite.sh"
        if shutil.which("npm") is None or not script.exists():
            raise AzuriteUnavailable(f"{binary} is missing and cannot be installed")
        result = subprocess.run(
            ["bash", str(script)], capture_output=True, text=True, timeout=600
        )
        if result.returncode != 0 or not binary.exists():
            raise AzuriteUnavailable(f"installing Azurite failed: {result.stderr[-2000:]}")
    return binary


class Azurite:
    """One Azurite blob service on a free port; ``container()`` makes a
    fresh container per test."""

    def __init__(self) -> None:
        binary = _find_azurite()
        self.workdir = tempfile.mkdtemp(prefix="orchest-azurite-")
        self.port = _free_port()
        self.log_path = os.path.join(self.workdir, "azurite.log")
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [
                str(binary),
                "--inMemoryPersistence",
                "--skipApiVersionCheck",
                "--loose",
                "--blobHost",
                "127.0.0.1",
                "--blobPort",
                str(self.port),
            ],
            cwd=self.workdir,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.endpoint = f"http://127.0.0.1:{self.port}/{ACCOUNT}"
        deadline = time.monotonic() + 90
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"Azurite exited early: {self._log_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"Azurite did not start: {self._log_text()}")
                time.sleep(0.2)

    def _log_text(self) -> str:
        try:
            return Path(self.log_path).read_text(errors="replace")[-2000:]
        except OSError:
            return ""

    def request(self, method: str, path: str, query: str, body: bytes = b"", headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            all_headers = {"x-ms-version": SAS_VERSION, "Content-Length": str(len(body))}
            all_headers.update(headers or {})
            conn.request(method, f"/{ACCOUNT}/{path}?{query}", body=body, headers=all_headers)
            resp = conn.getresponse()
            return resp.status, resp.read()
        finally:
            conn.close()

    def container(self) -> "Container":
        name = "t" + uuid.uuid4().hex[:20]
        status, body = self.request("PUT", name, "restype=container&" + account_sas())
        assert status == 201, (status, body)
        return Container(self, name)

    def stop(self) -> None:
        # Azurite may ignore SIGTERM: give it a moment, then SIGKILL.
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()
        shutil.rmtree(self.workdir, ignore_errors=True)


class Container:
    def __init__(self, azurite: Azurite, name: str) -> None:
        self.azurite = azurite
        self.name = name
        self.url = f"{azurite.endpoint}/{name}"
        self.admin_query = container_sas(name, "racwdl")

    def location(self, prefix: str, permissions: str, query: Optional[str] = None) -> dict:
        return {
            "kind": "blob",
            "container_url": self.url,
            "prefix": prefix,
            "query": query if query is not None else container_sas(self.name, permissions),
        }

    def output_location(self, prefix: str) -> dict:
        return self.location(prefix, OUTPUT_PERMISSIONS)

    def input_location(self, prefix: str) -> dict:
        return self.location(prefix, INPUT_PERMISSIONS)

    def put(self, blob: str, data: bytes) -> None:
        status, body = self.azurite.request(
            "PUT",
            f"{self.name}/{quote(blob, safe='/')}",
            self.admin_query,
            data,
            {"x-ms-blob-type": "BlockBlob"},
        )
        assert status == 201, (status, body)

    def get(self, blob: str) -> Optional[bytes]:
        status, body = self.azurite.request(
            "GET", f"{self.name}/{quote(blob, safe='/')}", self.admin_query
        )
        if status == 404:
            return None
        assert status == 200, (status, body)
        return body

    def names(self, prefix: str = "") -> list:
        import xml.etree.ElementTree as ET

        status, body = self.azurite.request(
            "GET",
            self.name,
            f"restype=container&comp=list&prefix={quote(prefix, safe='')}&" + self.admin_query,
        )
        assert status == 200, (status, body)
        return sorted(b.findtext("Name") for b in ET.fromstring(body).iter("Blob"))

    def committed_blocks(self, blob: str) -> int:
        import xml.etree.ElementTree as ET

        status, body = self.azurite.request(
            "GET",
            f"{self.name}/{quote(blob, safe='/')}",
            "comp=blocklist&blocklisttype=committed&" + self.admin_query,
        )
        assert status == 200, (status, body)
        return len(ET.fromstring(body).findall("./CommittedBlocks/Block"))
