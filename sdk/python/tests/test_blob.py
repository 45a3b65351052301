"""Output sets in blob storage (location kind "blob", PROTOCOL.md 2-3)
against a real Azurite, plus retries against a small fake server."""

import http.server
import json
import os
import threading
import time
import traceback

import pytest

import orchest
from orchest import _blob, error, transfer
from orchest._location import parse_location

from azurite import container_sas
from sdk_test_objects import Point


def out(container, step):
    return container.output_location(f"outputs/proj/ppl/{step}/run-1/")


def inp(container, step):
    return container.input_location(f"outputs/proj/ppl/{step}/run-1/")


def become(world, container, step, parents=(), **kwargs):
    locations = kwargs.pop("locations", {})
    for parent in parents:
        locations.setdefault(parent, inp(container, parent))
    return world.become(
        step, parents=parents, title=step, output=out(container, step), locations=locations, **kwargs
    )


def formatted(exc: BaseException) -> str:
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


# --- round trips ---------------------------------------------------------------------


def test_unnamed_and_named_outputs_round_trip(world, container):
    become(world, container, "A")
    orchest.output({"rows": 3, "labels": ["a", "é"]}, None)
    orchest.output([1, 2, 3], "my data")
    orchest.output(Point(1, (2, 3)), "point")
    orchest.output((1, "tuple"), "größe")

    names = container.names("outputs/proj/ppl/A/run-1/")
    prefix = "outputs/proj/ppl/A/run-1/"
    assert names == sorted(
        prefix + f
        for f in [
            "unnamed.data",
            "unnamed.meta.json",
            "named-my%20data.data",
            "named-my%20data.meta.json",
            "named-point.data",
            "named-point.meta.json",
            "named-gr%C3%B6%C3%9Fe.data",
            "named-gr%C3%B6%C3%9Fe.meta.json",
        ]
    )
    meta = json.loads(container.get(prefix + "named-my%20data.meta.json"))
    assert meta["name"] == "my data"
    assert meta["serialization"] == "JSON"
    assert meta["producer"] == "python"
    assert meta["size"] == len(container.get(prefix + "named-my%20data.data"))
    assert json.loads(container.get(prefix + "named-point.meta.json"))["serialization"] == "PICKLE"

    become(world, container, "B", parents=["A"])
    inputs = orchest.get_inputs()
    assert inputs["unnamed"] == [{"rows": 3, "labels": ["a", "é"]}]
    assert inputs["my data"] == [1, 2, 3]
    assert inputs["point"] == Point(1, (2, 3))
    assert inputs["größe"] == (1, "tuple")


def test_unnamed_inputs_follow_incoming_connections(world, container):
    for step in ("A", "C", "D"):
        become(world, container, step)
        orchest.output(f"from {step}", None)
    become(world, container, "B", parents=["D", "A", "C"])
    assert orchest.get_inputs()["unnamed"] == ["from D", "from A", "from C"]


def test_parent_without_output_set_is_not_found(world, container):
    become(world, container, "A")
    orchest.output(1, None)
    become(world, container, "B", parents=["A", "P"], locations={"P": None})
    for kwargs in ({}, {"ignore_failure": True}):
        with pytest.raises(error.OutputNotFoundError, match='incoming step "P"'):
            orchest.get_inputs(**kwargs)


def test_missing_container_is_not_found(world, azurite):
    location = {
        "kind": "blob",
        "container_url": f"{azurite.endpoint}/nosuchcontainer",
        "prefix": "outputs/x/",
        "query": container_sas("nosuchcontainer", "rl"),
    }
    world.become("B", parents=["A"], title="B", locations={"A": location})
    with pytest.raises(error.OutputNotFoundError, match="cannot be found"):
        orchest.get_inputs()


def test_empty_output_set_contributes_nothing(world, container):
    become(world, container, "A")  # never outputs anything
    become(world, container, "B", parents=["A"])
    assert orchest.get_inputs() == {"unnamed": []}


def test_payload_without_metadata_is_ignored(world, container):
    prefix = "outputs/proj/ppl/A/run-1/"
    container.put(prefix + "named-half.data", b"[1, 2")  # a write that never finished
    container.put(prefix + ".named-x.meta.json.tmp-1", b"{}")  # temporary files are skipped
    container.put(prefix + "deeper/unnamed.meta.json", b"{}")  # not in the set itself
    become(world, container, "A")
    orchest.output("kept", "kept")
    become(world, container, "B", parents=["A"])
    assert orchest.get_inputs() == {"unnamed": [], "kept": "kept"}


def test_metadata_without_payload_is_output_not_found(world, container):
    become(world, container, "A")
    orchest.output("x", "gone")
    container_delete = _blob.BlobLocation(container.url, "outputs/proj/ppl/A/run-1/", container.admin_query)
    container_delete._request("DELETE", "named-gone.data", "Delete Blob")
    become(world, container, "B", parents=["A"])
    with pytest.raises(error.DiskOutputNotFoundError):
        orchest.get_inputs()
    assert orchest.get_inputs(ignore_failure=True) == {"unnamed": [], "gone": None}


def test_replacing_an_output_deletes_the_old_metadata_first(world, container, monkeypatch):
    become(world, container, "A")
    orchest.output("first", "x")

    calls = []
    original = _blob.BlobLocation._request

    def recording(self, method, blob, operation, *args, **kwargs):
        calls.append((method, blob, operation))
        return original(self, method, blob, operation, *args, **kwargs)

    monkeypatch.setattr(_blob.BlobLocation, "_request", recording)
    monkeypatch.setattr(orchest.Config, "silence_multiple_data_transfer_calls_warning", True)
    orchest.output("second", "x")
    assert calls == [
        ("DELETE", "named-x.meta.json", "Delete Blob"),
        ("PUT", "named-x.data", "Put Blob"),
        ("PUT", "named-x.meta.json", "Put Blob"),
    ]

    become(world, container, "B", parents=["A"])
    assert orchest.get_inputs()["x"] == "second"


def test_failed_replacement_leaves_no_half_output(world, container, monkeypatch):
    become(world, container, "A")
    orchest.output("first", "x")
    monkeypatch.setattr(orchest.Config, "silence_multiple_data_transfer_calls_warning", True)
    with pytest.raises(error.SerializationError):
        orchest.output(lambda: 1, "x")  # unpicklable
    prefix = "outputs/proj/ppl/A/run-1/"
    assert container.get(prefix + "named-x.meta.json") is None
    become(world, container, "B", parents=["A"])
    assert orchest.get_inputs() == {"unnamed": []}


# --- large payloads, blocks, paging ----------------------------------------------------------


def test_40_mb_payload_round_trips_through_blocks(world, container, record_property):
    payload = os.urandom(40_000_000)
    become(world, container, "A")
    started = time.perf_counter()
    orchest.output(payload, "big")  # pickled: the bytes are written in place, not copied
    upload = time.perf_counter() - started

    blob = "outputs/proj/ppl/A/run-1/named-big.data"
    # 40 MB in 8 MiB blocks: four full blocks and a last partial one.
    assert container.committed_blocks(blob) == 5
    assert _blob.BLOCK_SIZE == 8 * 1024 * 1024

    become(world, container, "B", parents=["A"])
    started = time.perf_counter()
    got = orchest.get_inputs()["big"]
    download = time.perf_counter() - started
    assert got == payload
    mb = len(payload) / 1e6
    record_property("upload_MBps", round(mb / upload, 1))
    record_property("download_MBps", round(mb / download, 1))
    print(f"\n40 MB through Azurite: up {mb / upload:.1f} MB/s, down {mb / download:.1f} MB/s")


def test_pickled_value_streams_in_small_blocks(world, container, monkeypatch):
    monkeypatch.setattr(_blob, "BLOCK_SIZE", 64 * 1024)
    value = {"values": list(range(100_000)), "t": (1, 2)}  # pickle: ~0.5 MB
    become(world, container, "A")
    orchest.output(value, "v")
    blob = "outputs/proj/ppl/A/run-1/named-v.data"
    size = len(container.get(blob))
    assert container.committed_blocks(blob) == -(-size // (64 * 1024))
    assert container.committed_blocks(blob) > 3

    become(world, container, "B", parents=["A"])
    assert orchest.get_inputs()["v"] == value


def test_json_streams_in_small_blocks(world, container, monkeypatch):
    monkeypatch.setattr(_blob, "BLOCK_SIZE", 16 * 1024)
    value = [{"i": i, "s": "é" * (i % 7)} for i in range(5000)]
    become(world, container, "A")
    orchest.output(value, None)
    assert container.committed_blocks("outputs/proj/ppl/A/run-1/unnamed.data") > 3
    become(world, container, "B", parents=["A"])
    assert orchest.get_inputs()["unnamed"] == [value]


def test_listing_follows_next_marker(world, container, monkeypatch):
    monkeypatch.setattr(_blob, "LIST_PAGE_SIZE", 3)
    pages = []
    original = _blob.BlobLocation._request

    def counting(self, method, blob, operation, *args, **kwargs):
        if operation == "List Blobs":
            pages.append(kwargs.get("params", ""))
        return original(self, method, blob, operation, *args, **kwargs)

    monkeypatch.setattr(_blob.BlobLocation, "_request", counting)
    become(world, container, "A")
    for i in range(7):
        orchest.output(i, f"n{i}")
    become(world, container, "B", parents=["A"])
    inputs = orchest.get_inputs()
    assert {k: v for k, v in inputs.items() if k != "unnamed"} == {f"n{i}": i for i in range(7)}
    assert len(pages) == 5  # 14 blobs, 3 per page
    assert sum("marker=" in p for p in pages) == 4


def test_arrow_table_round_trip(world, container):
    pa = pytest.importorskip("pyarrow")
    table = pa.table({"a": list(range(1000)), "b": [str(i) for i in range(1000)]})
    become(world, container, "A")
    orchest.output(table, "t")
    become(world, container, "B", parents=["A"])
    assert orchest.get_inputs()["t"].equals(table)


# --- secrets and errors ---------------------------------------------------------------------


def _bad_signature(location: dict) -> dict:
    query = location["query"].replace("sig=", "sig=AAAA")
    return dict(location, query=query)


def test_sas_never_appears_in_errors(world, container):
    good_input = inp(container, "A")
    become(world, container, "A")
    orchest.output(1, None)

    bad_in = _bad_signature(good_input)
    world.become("B", parents=["A"], title="B", locations={"A": bad_in}, output=out(container, "B"))
    with pytest.raises(error.OrchestNetworkError) as read_error:
        orchest.get_inputs()
    bad_out = _bad_signature(out(container, "C"))
    world.become("C", title="C", output=bad_out)
    with pytest.raises(error.OrchestNetworkError) as write_error:
        orchest.output(1, None)

    for exc, location in ((read_error.value, bad_in), (write_error.value, bad_out)):
        message = str(exc)
        assert "403" in message and "AuthorizationFailure" in message
        assert location["container_url"] in message  # says where
        text = formatted(exc) + repr(exc)
        sig = location["query"].split("sig=")[1]
        for secret in (location["query"], "sig=", sig, "se=", "sp="):
            assert secret not in text


def test_missing_permission_is_explained(world, container):
    become(world, container, "A")
    read_only = container.input_location("outputs/proj/ppl/A/run-1/")
    world.become("A", title="A", output=read_only)
    with pytest.raises(error.OrchestNetworkError) as exc:
        orchest.output(1, None)
    assert "403" in str(exc.value) and "permission" in str(exc.value)
    assert read_only["query"] not in formatted(exc.value)


def test_invalid_blob_location(world):
    world.become("B", parents=["A"], title="B", locations={"A": {"kind": "blob", "prefix": "p/"}})
    with pytest.raises(error.UnsupportedLocationError, match='"container_url"'):
        orchest.get_inputs()


def test_redact():
    text = "GET https://a.blob.core.windows.net/c/p/x.data?sv=2021&sig=abc%2Fdef&se=1 failed sig=zzz"
    redacted = _blob.redact(text)
    assert "abc" not in redacted and "zzz" not in redacted and "se=1" not in redacted
    assert "https://a.blob.core.windows.net/c/p/x.data" in redacted


def test_repr_has_no_sas(container):
    location = parse_location(out(container, "A"), "x")
    assert "sig" not in repr(location) and "sig" not in location.describe()


# --- retries (a fake server: Azurite does not fail on demand) -------------------------------


class _FlakyHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    payload = bytes(range(256)) * 4096  # 1 MiB

    def log_message(self, *args):
        pass

    def do_GET(self):
        server = self.server
        server.requests.append((self.path, dict(self.headers)))
        if "comp=list" in self.path:
            if server.fail_list > 0:
                server.fail_list -= 1
                self._send(503, b"<Error><Code>ServerBusy</Code></Error>")
                return
            body = (
                b'<?xml version="1.0" encoding="utf-8"?><EnumerationResults><Blobs>'
                b"<Blob><Name>p/unnamed.data</Name></Blob>"
                b"<Blob><Name>p/unnamed.meta.json</Name></Blob></Blobs><NextMarker/></EnumerationResults>"
            )
            self._send(200, body)
            return
        if self.path.startswith("/acct/c/p/unnamed.meta.json"):
            meta = {"name": None, "serialization": "PICKLE", "size": len(self.server.blob)}
            self._send(200, json.dumps(meta).encode())
            return
        blob = self.server.blob
        start = 0
        range_header = self.headers.get("Range")
        if range_header:
            assert self.headers.get("If-Match") == '"etag-1"'
            start = int(range_header.split("=")[1].rstrip("-"))
        body = blob[start:]
        self.send_response(206 if range_header else 200)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", '"etag-1"')
        self.end_headers()
        if server.cut_download > 0 and not range_header:
            server.cut_download -= 1
            self.wfile.write(body[: len(body) // 3])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)
            return
        self.wfile.write(body)

    def do_HEAD(self):
        self.send_response(200)
        self.send_header("Content-Length", str(len(self.server.blob)))
        self.end_headers()

    def _send(self, status, body):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def flaky(monkeypatch):
    import pickle

    monkeypatch.setattr(_blob, "RETRY_BACKOFF", 0.01)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _FlakyHandler)
    server.requests = []
    server.fail_list = 0
    server.cut_download = 0
    server.blob = pickle.dumps(os.urandom(3_000_000))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _flaky_location(server):
    return {
        "kind": "blob",
        "container_url": f"http://127.0.0.1:{server.server_address[1]}/acct/c",
        "prefix": "p/",
        "query": "sv=2021-08-06&sig=SECRET",
    }


def test_transient_errors_are_retried_and_downloads_resume(world, flaky):
    import pickle

    flaky.fail_list = 2
    flaky.cut_download = 1
    world.become("B", parents=["A"], title="B", locations={"A": _flaky_location(flaky)})
    inputs = orchest.get_inputs()
    assert inputs["unnamed"] == [pickle.loads(flaky.blob)]
    ranges = [h.get("Range") for p, h in flaky.requests if "unnamed.data" in p]
    assert ranges[0] is None and ranges[-1] is not None  # resumed with a Range request
    assert all(h.get("x-ms-version") == _blob.API_VERSION for _, h in flaky.requests)


def test_retries_are_bounded(world, flaky):
    flaky.fail_list = 100
    world.become("B", parents=["A"], title="B", locations={"A": _flaky_location(flaky)})
    with pytest.raises(error.OrchestNetworkError) as exc:
        orchest.get_inputs()
    assert "503" in str(exc.value) and "SECRET" not in formatted(exc.value)
    assert len([p for p, _ in flaky.requests if "comp=list" in p]) == _blob.ATTEMPTS


def test_connection_refused_is_a_network_error_without_sas(world, monkeypatch):
    monkeypatch.setattr(_blob, "RETRY_BACKOFF", 0.01)
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    location = {
        "kind": "blob",
        "container_url": f"http://127.0.0.1:{port}/acct/c",
        "prefix": "p/",
        "query": "sv=1&sig=SECRET",
    }
    world.become("B", parents=["A"], title="B", locations={"A": location})
    with pytest.raises(error.OrchestNetworkError) as exc:
        orchest.get_inputs()
    assert "SECRET" not in formatted(exc.value)
    assert f"127.0.0.1:{port}/acct/c/p/" in str(exc.value)
