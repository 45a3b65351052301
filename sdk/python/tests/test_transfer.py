"""Data passing: output sets on disk, get_inputs semantics (PROTOCOL.md 3)."""

import collections
import datetime
import json
import math
import os
import pickle
import re
import warnings

import pytest

import orchest
from orchest import error, transfer
from orchest.config import Config
from orchest.transfer import Serialization

from conftest import run_python, subprocess_env
from sdk_test_objects import Point


def read_meta(out_dir, stem):
    return json.loads((out_dir / f"{stem}.meta.json").read_text(encoding="utf-8"))


def roundtrip(world, value, name):
    world.become("A", title="A")
    orchest.output(value, name)
    world.become("B", parents=["A"], title="B")
    inputs = orchest.get_inputs()
    got = inputs["unnamed"][0] if name is None else inputs[name]
    stem = "unnamed" if name is None else transfer._stem(name)
    return got, read_meta(world.out_dir("A"), stem), inputs


# --- serialisations ------------------------------------------------------------

JSON_VALUES = [
    None,
    True,
    False,
    0,
    -17,
    2**70,
    3.25,
    -0.0,
    "",
    "héllo ✓ 🙂",
    [],
    {},
    [1, [2, {"a": None, "b": [True, 1.5]}]],
    {"k": [1.5, "x"], "nested": {"deeper": {"x": []}}},
]


@pytest.mark.parametrize("name", [None, "value"])
@pytest.mark.parametrize("value", JSON_VALUES, ids=[repr(v)[:30] for v in JSON_VALUES])
def test_json_values_round_trip(world, value, name):
    got, meta, _ = roundtrip(world, value, name)
    assert meta["serialization"] == "JSON"
    assert got == value and type(got) is type(value)
    # The payload is plain strict JSON that any language can read.
    stem = "unnamed" if name is None else "named-value"
    payload = (world.out_dir("A") / f"{stem}.data").read_bytes()
    assert json.loads(payload.decode("utf-8")) == value
    assert meta["size"] == len(payload)


PICKLED_VALUES = [
    (1, 2),
    ("a", (1, (2, 3))),
    [1, (2, 3)],
    {"a": (1, 2)},
    {1: "int key"},
    {"x": {2: "nested int key"}},
    {1, 2, 3},
    b"\x00bytes",
    Point(1, (2, 3)),
    [Point(1, 2), Point(3, 4)],
    collections.OrderedDict([("b", 1), ("a", 2)]),
    datetime.datetime(2024, 1, 2, 3, 4, 5, 6),
    float("inf"),
    [1.0, float("-inf")],
    "\ud800 lone surrogate",
    complex(1, 2),
]


@pytest.mark.parametrize("name", [None, "value"])
@pytest.mark.parametrize("value", PICKLED_VALUES, ids=[repr(v)[:30] for v in PICKLED_VALUES])
def test_non_json_values_are_pickled_and_round_trip(world, value, name):
    got, meta, _ = roundtrip(world, value, name)
    assert meta["serialization"] == "PICKLE"
    assert got == value and type(got) is type(value)


def test_nan_is_pickled(world):
    got, meta, _ = roundtrip(world, float("nan"), None)
    assert meta["serialization"] == "PICKLE"
    assert math.isnan(got)


def test_shared_and_cyclic_structures_are_pickled(world):
    inner = [1, 2]
    shared = [inner, inner]
    got, meta, _ = roundtrip(world, shared, "shared")
    assert meta["serialization"] == "PICKLE"
    assert got == shared and got[0] is got[1]

    cyclic = []
    cyclic.append(cyclic)
    assert transfer._is_json_able(cyclic) is False


@pytest.mark.parametrize(
    "value, expected",
    [
        ({"a": [1, 2.5, None, True, "x"]}, True),
        ((1, 2), False),
        ({1: 2}, False),
        (float("nan"), False),
        (collections.OrderedDict(a=1), False),
        (collections.defaultdict(list), False),
        (type("MyStr", (str,), {})("x"), False),
        (__import__("enum").IntEnum("E", "A").A, False),
        ("\udcff", False),
        ([[[[[[[[[[1]]]]]]]]]], True),
    ],
)
def test_strict_json_check(value, expected):
    assert transfer._is_json_able(value) is expected


def test_deeply_nested_json_check_does_not_recurse():
    value = []
    for _ in range(100_000):
        value = [value]
    assert transfer._is_json_able(value) is True


def test_pandas_dataframe_round_trip(world):
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(
        {
            "i": [1, 2, 3],
            "f": [0.5, float("nan"), 2.5],
            "s": ["a", None, "c"],
            "t": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03"]),
        }
    )
    got, meta, _ = roundtrip(world, df, "frame")
    assert isinstance(got, pd.DataFrame)
    assert got.equals(df)
    if transfer._pyarrow() is None:
        assert meta["serialization"] == "PICKLE"
        assert "pandas" not in meta
    else:
        assert meta["serialization"] == "ARROW_TABLE"
        assert meta["pandas"] is True


def test_pandas_dataframe_with_non_str_columns_is_pickled(world):
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({0: [1, 2], 1: ["x", "y"]})
    got, meta, _ = roundtrip(world, df, None)
    assert meta["serialization"] == "PICKLE"
    assert got.equals(df) and list(got.columns) == [0, 1]


def test_arrow_table_round_trip(world):
    pa = pytest.importorskip("pyarrow")
    table = pa.table({"a": [1, 2, 3], "b": ["x", "y", None]})
    got, meta, _ = roundtrip(world, table, "table")
    assert meta["serialization"] == "ARROW_TABLE"
    assert "pandas" not in meta
    assert isinstance(got, pa.Table) and got.equals(table)
    # Arrow IPC stream format.
    with open(world.out_dir("A") / "named-table.data", "rb") as f:
        assert pa.ipc.open_stream(f).read_all().equals(table)


def test_arrow_record_batch_round_trip(world):
    pa = pytest.importorskip("pyarrow")
    batch = pa.record_batch([pa.array([1.5, 2.5]), pa.array(["p", "q"])], names=["x", "y"])
    got, meta, _ = roundtrip(world, batch, None)
    assert meta["serialization"] == "ARROW_BATCH"
    assert isinstance(got, pa.RecordBatch) and got.equals(batch)


def test_arrow_payload_without_pyarrow_is_a_clear_error(world):
    if transfer._pyarrow() is not None:
        pytest.skip("pyarrow is installed")
    world.become("A", title="A")
    out = world.out_dir("A")
    out.mkdir(parents=True)
    (out / "unnamed.data").write_bytes(b"\xff\xff\xff\xff")
    (out / "unnamed.meta.json").write_text(
        json.dumps({"name": None, "serialization": "ARROW_TABLE", "size": 4, "producer": "dotnet"})
    )
    world.become("B", parents=["A"], title="B")
    with pytest.raises(error.DeserializationError, match="pyarrow is not installed"):
        orchest.get_inputs()
    assert orchest.get_inputs(ignore_failure=True) == {"unnamed": [None]}


def test_pre_serialized_output_to_disk(world):
    world.become("A", title="A")
    transfer.output_to_disk(pickle.dumps((1, "two")), "pre", serialization=Serialization.PICKLE)
    transfer.output_to_disk(b'{"j": [1]}', None, serialization=Serialization.JSON)
    world.become("B", parents=["A"], title="B")
    assert orchest.get_inputs() == {"unnamed": [{"j": [1]}], "pre": (1, "two")}


def test_serialization_enum():
    assert [(s.name, s.value) for s in Serialization] == [
        ("ARROW_TABLE", 0),
        ("ARROW_BATCH", 1),
        ("PICKLE", 2),
        ("JSON", 3),
    ]
    assert orchest.transfer.Serialization is Serialization


def test_unpicklable_value_raises_serialization_error_and_leaves_nothing(world):
    world.become("A", title="A")
    with pytest.raises(error.SerializationError, match="Could not pickle data of type"):
        orchest.output(lambda: 1, "fn")
    assert sorted(os.listdir(world.out_dir("A"))) == []


# --- output set format ------------------------------------------------------------


def test_output_files_and_metadata(world):
    world.become("A", title="A")
    orchest.output({"v": 1}, "my data")
    orchest.output("x", "é/x")
    orchest.output(1, None)
    out = world.out_dir("A")
    assert sorted(os.listdir(out)) == [
        "named-%C3%A9%2Fx.data",
        "named-%C3%A9%2Fx.meta.json",
        "named-my%20data.data",
        "named-my%20data.meta.json",
        "unnamed.data",
        "unnamed.meta.json",
    ]
    meta = read_meta(out, "named-my%20data")
    assert set(meta) == {"name", "serialization", "timestamp", "size", "producer"}
    assert meta["name"] == "my data"
    assert meta["serialization"] == "JSON"
    assert meta["producer"] == "python"
    assert meta["size"] == (out / "named-my%20data.data").stat().st_size
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00", meta["timestamp"])
    assert read_meta(out, "unnamed")["name"] is None


def test_stem_encoding():
    assert transfer._stem(None) == "unnamed"
    assert transfer._stem("my data") == "named-my%20data"
    assert transfer._stem("A-z_0.9~") == "named-A-z_0.9~"
    assert transfer._stem("a/b%c") == "named-a%2Fb%25c"
    assert transfer._stem("ü") == "named-%C3%BC"


def test_half_written_output_is_ignored(world):
    world.become("A", title="A")
    orchest.output("complete", "done")
    out = world.out_dir("A")
    # A step killed while writing: payload present, metadata missing.
    (out / "named-half.data").write_bytes(b"partial")
    (out / "unnamed.data").write_bytes(pickle.dumps("no meta"))
    (out / ".named-x.meta.json.tmp-123").write_text("{}")
    world.become("B", parents=["A"], title="B")
    assert orchest.get_inputs() == {"unnamed": [], "done": "complete"}


def test_invalid_metadata(world):
    world.become("A", title="A")
    orchest.output(1, "n")
    (world.out_dir("A") / "named-n.meta.json").write_text('{"name": "n", "serialization": "YAML"}')
    world.become("B", parents=["A"], title="B")
    with pytest.raises(error.InvalidMetaDataError, match=r"invalid serialization \(YAML\)"):
        orchest.get_inputs(ignore_failure=True)


# --- several outputs -----------------------------------------------------------------


def test_several_named_outputs_from_one_step(world):
    world.become("A", title="A")
    orchest.output("u", None)
    orchest.output([1], "first")
    orchest.output((2,), "second")
    world.become("B", parents=["A"], title="B")
    inputs = orchest.get_inputs()
    assert inputs == {"unnamed": ["u"], "first": [1], "second": (2,)}
    assert list(inputs) == ["unnamed", "first", "second"]


def test_same_name_twice_latest_wins_and_warns(world):
    world.become("A", title="A")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        orchest.output("old", "x")
        orchest.output("other name, no warning", "y")
        assert caught == []
        orchest.output(("new",), "x")
    assert len(caught) == 1
    assert issubclass(caught[0].category, RuntimeWarning)
    assert 'The output named "x" was output more than once' in str(caught[0].message)
    world.become("B", parents=["A"], title="B")
    assert orchest.get_inputs() == {"unnamed": [], "x": ("new",), "y": "other name, no warning"}


def test_same_name_twice_warning_can_be_silenced(world, monkeypatch):
    monkeypatch.setattr(Config, "silence_multiple_data_transfer_calls_warning", True)
    world.become("A", title="A")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        orchest.output(1, None)
        orchest.output(2, None)
        world.become("B", parents=["A"], title="B")
        orchest.get_inputs()
        orchest.get_inputs()
    assert [str(w.message) for w in caught] == []


def test_get_inputs_twice_warns_and_still_returns_the_data(world):
    world.become("A", title="A")
    orchest.output("d", None)
    world.become("B", parents=["A"], title="B")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first = orchest.get_inputs()
        assert caught == []
        second = orchest.get_inputs()
    assert first == second == {"unnamed": ["d"]}
    assert len(caught) == 1 and "`get_inputs` was called more than once" in str(caught[0].message)


def test_output_to_memory_is_a_deprecated_alias(world):
    world.become("A", title="A")
    with pytest.warns(RuntimeWarning, match="Memory passing is not supported"):
        transfer.output_to_memory([1, 2], "m", disk_fallback=False)
    world.become("B", parents=["A"], title="B")
    assert orchest.get_inputs()["m"] == [1, 2]


# --- get_inputs semantics ----------------------------------------------------------------


def test_receive_input_order_follows_incoming_connections(world):
    # Orchest's test_receive_input_order: step 3 outputs before step 1.
    world.become("S3", title="step-3")
    orchest.output("data 3", None)
    world.become("S1", title="step-1")
    orchest.output("data 1", None)
    world.become("S2", parents=["S1", "S3"], title="step-2")
    assert orchest.get_inputs()["unnamed"] == ["data 1", "data 3"]
    world.become("S2", parents=["S3", "S1"], title="step-2")
    assert orchest.get_inputs()["unnamed"] == ["data 3", "data 1"]


def test_receive_multiple_named_inputs(world):
    world.become("A", title="A")
    orchest.output("Hello, World!", "my_string")
    world.become("C", title="C")
    orchest.output([3, 1, 4], "my_list")
    world.become("B", parents=["A", "C"], title="B")
    inputs = orchest.get_inputs()
    assert len(inputs) == 3
    assert inputs == {"my_list": [3, 1, 4], "my_string": "Hello, World!", "unnamed": []}


def test_unnamed_key_always_present(world):
    world.become("Solo", title="Solo")
    assert orchest.get_inputs() == {"unnamed": []}


def test_name_collision_is_raised_before_loading_any_data(world):
    world.become("P1", title="beta")
    orchest.output(1, "x")
    orchest.output(1, "y")
    world.become("P2", title="alpha")
    orchest.output(2, "x")
    orchest.output(2, "y")
    # A broken payload: loading it would raise DeserializationError.
    (world.out_dir("P2") / "named-x.data").write_bytes(b"\x00")
    meta = read_meta(world.out_dir("P2"), "named-x")
    meta["size"] = 1
    (world.out_dir("P2") / "named-x.meta.json").write_text(json.dumps(meta))
    world.become("C", parents=["P1", "P2"], title="C")
    with pytest.raises(error.InputNameCollisionError) as exc:
        orchest.get_inputs()
    assert str(exc.value) == (
        "Name collisions between input data coming from different steps: "
        "\nx: ['alpha', 'beta']\ny: ['alpha', 'beta']"
    )


def test_missing_parent_output_raises_even_with_ignore_failure(world):
    world.become("Child", parents=["never-ran"], title="Child")
    world.titles["never-ran"] = "Loader"
    world.become("Child", parents=["never-ran"], title="Child")
    expected = 'Output from incoming step "Loader" ("never-ran") cannot be found. Try rerunning it.'
    for ignore_failure in (False, True):
        with pytest.raises(error.OutputNotFoundError) as exc:
            orchest.get_inputs(ignore_failure=ignore_failure)
        assert str(exc.value) == expected


def test_parent_location_that_does_not_exist(world, tmp_path):
    world.become(
        "Child",
        parents=["P"],
        title="Child",
        locations={"P": {"kind": "dir", "path": str(tmp_path / "gone")}},
    )
    with pytest.raises(error.OutputNotFoundError, match=r'incoming step "P" \("P"\) cannot be found'):
        orchest.get_inputs()


def test_empty_output_set_contributes_nothing(world):
    world.out_dir("Quiet").mkdir(parents=True)
    world.become("Loud", title="Loud")
    orchest.output("loud", None)
    world.become("Child", parents=["Quiet", "Loud"], title="Child")
    assert orchest.get_inputs() == {"unnamed": ["loud"]}


def test_ignore_failure_gives_none_for_a_load_failure(world):
    world.become("Bad", title="Bad")
    orchest.output(Point(1, 2), None)
    orchest.output("fine", "ok")
    orchest.output("will vanish", "gone")
    out = world.out_dir("Bad")
    (out / "unnamed.data").write_bytes(b"not a pickle")
    meta = read_meta(out, "unnamed")
    meta["size"] = len(b"not a pickle")
    (out / "unnamed.meta.json").write_text(json.dumps(meta))
    os.remove(out / "named-gone.data")
    world.become("Good", title="Good")
    orchest.output("good", None)
    world.become("Child", parents=["Bad", "Good"], title="Child")

    with pytest.raises(error.DeserializationError, match=r'incoming step "Bad" \("Bad"\)'):
        orchest.get_inputs()
    assert orchest.get_inputs(ignore_failure=True) == {
        "unnamed": [None, "good"],
        "ok": "fine",
        "gone": None,
    }


def test_payload_deleted_after_metadata_is_output_not_found(world):
    world.become("A", title="A")
    orchest.output(1, None)
    os.remove(world.out_dir("A") / "unnamed.data")
    world.become("B", parents=["A"], title="B")
    with pytest.raises(error.DiskOutputNotFoundError) as exc:
        orchest.get_inputs()
    assert str(exc.value) == 'Output from incoming step "A" ("A") cannot be found. Try rerunning it.'


def test_truncated_payload_is_detected(world):
    world.become("A", title="A")
    orchest.output(list(range(1000)), "big")
    path = world.out_dir("A") / "named-big.data"
    path.write_bytes(path.read_bytes()[:100])
    world.become("B", parents=["A"], title="B")
    with pytest.raises(error.DeserializationError, match="is incomplete: 100 of"):
        orchest.get_inputs()


def test_verbose(world, capsys):
    world.become("A", title="Alpha")
    orchest.output(1, None)
    world.become("B", parents=["A"], title="B")
    orchest.get_inputs(verbose=True)
    assert capsys.readouterr().out == 'Retrieved input from step: "Alpha"\n'


# --- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, message",
    [
        (123, "Name should be of type string or `None`."),
        (b"bytes", "Name should be of type string or `None`."),
        ("unnamed", "'unnamed' is a reserved `name`."),
        ("a; b", "'; ' cannot be part of the `name`."),
    ],
)
def test_invalid_names(world, name, message):
    world.become("A", title="A")
    for fn in (orchest.output, transfer.output_to_disk, orchest.transfer.output):
        with pytest.raises(error.DataInvalidNameError) as exc:
            fn("data", name)
        assert str(exc.value) == message
    assert not world.out_dir("A").exists()


def test_valid_unusual_names(world):
    world.become("A", title="A")
    names = ["", "a;b", "a ;b", "Unnamed", "ünï cödé", "x/y\\z", "%41"]
    for i, name in enumerate(names):
        orchest.output(i, name)
    world.become("B", parents=["A"], title="B")
    inputs = orchest.get_inputs()
    assert {n: inputs[n] for n in names} == {n: i for i, n in enumerate(names)}


# --- real processes ---------------------------------------------------------------------------


def test_producer_and_consumer_in_separate_processes(world):
    ctx_a = world.write_context("A", title="A")
    producer = run_python(
        "import orchest\n"
        "from sdk_test_objects import Point\n"
        "orchest.output((1, 2), None)\n"
        "orchest.output({'k': [1, 2.5]}, 'json')\n"
        "orchest.output([Point(1, 2)], 'points')\n",
        subprocess_env(world.env_for("A", ctx_a)),
    )
    assert producer.returncode == 0, producer.stderr
    ctx_b = world.write_context("B", parents=["A"], title="B")
    consumer = run_python(
        "import orchest, sys\n"
        "inputs = orchest.get_inputs()\n"
        "print(repr(inputs))\n"
        "heavy = [m for m in ('pandas', 'pyarrow', 'numpy', 'nbclient', 'requests') if m in sys.modules]\n"
        "print(heavy)\n",
        subprocess_env(world.env_for("B", ctx_b)),
    )
    assert consumer.returncode == 0, consumer.stderr
    lines = consumer.stdout.splitlines()
    assert lines[0] == "{'unnamed': [(1, 2)], 'json': {'k': [1, 2.5]}, 'points': [Point(1, 2)]}"
    assert lines[1] == "[]"  # the SDK imports nothing heavy by itself
