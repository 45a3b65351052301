"""Context resolution, parameters, the Orchest-style fallback, public API."""

import json
import os
import re
from unittest import mock

import pytest

import orchest
from orchest import error, transfer
from orchest.config import Config
from orchest.pipeline import Pipeline

from conftest import PIPELINE_UUID, run_python, subprocess_env


def pipeline_definition():
    # Orchest's pipeline-order fixture: step-1 -> step-2 <- step-3, with
    # incoming_connections of step-2 = [step-1, step-3]; plus parameters.
    return {
        "name": "my-pipeline",
        "uuid": PIPELINE_UUID,
        "version": "1.2.3",
        "settings": {},
        "parameters": {"p": "x", "n": 3},
        "steps": {
            "uuid-1": {
                "title": "step-1",
                "uuid": "uuid-1",
                "incoming_connections": [],
                "file_path": "step-1.ipynb",
                "parameters": {"k": 1},
            },
            "uuid-2": {
                "title": "step-2",
                "uuid": "uuid-2",
                "incoming_connections": ["uuid-1", "uuid-3"],
                "file_path": "step-2.py",
                "parameters": {"k": 2, "nested": {"a": [1]}},
            },
            "uuid-3": {
                "title": "step-3",
                "uuid": "uuid-3",
                "incoming_connections": [],
                "file_path": "step-3.ipynb",
            },
        },
    }


@pytest.fixture
def fallback(tmp_path, monkeypatch):
    """An Orchest-style invocation: pipeline file + ORCHEST_STEP_UUID."""
    project = tmp_path / "project"
    project.mkdir()
    pipeline_path = tmp_path / "pipeline.json"
    pipeline_path.write_text(json.dumps(pipeline_definition()))
    monkeypatch.setenv("ORCHEST_PIPELINE_PATH", str(pipeline_path))
    monkeypatch.setenv("ORCHEST_PROJECT_DIR", str(project))
    monkeypatch.setenv("ORCHEST_PIPELINE_UUID", PIPELINE_UUID)

    class Fallback:
        root = project / ".orchest" / "pipelines" / PIPELINE_UUID / "data"
        path = pipeline_path

        @staticmethod
        def become(step_uuid):
            monkeypatch.setenv("ORCHEST_STEP_UUID", step_uuid)
            transfer._reset_state()

        @staticmethod
        def env(step_uuid):
            return {
                "ORCHEST_PIPELINE_PATH": str(pipeline_path),
                "ORCHEST_PROJECT_DIR": str(project),
                "ORCHEST_PIPELINE_UUID": PIPELINE_UUID,
                "ORCHEST_STEP_UUID": step_uuid,
            }

    return Fallback


# --- parameters -------------------------------------------------------------------


def test_parameters_from_the_step_context(world):
    world.become(
        "A",
        title="A",
        step_parameters={"k": 1, "list": [1, 2]},
        pipeline_parameters={"p": "x"},
    )
    assert orchest.get_step_param("k") == 1
    assert orchest.get_step_param("list") == [1, 2]
    assert orchest.get_step_param("missing") is None
    assert orchest.get_step_param("missing", default=5) == 5
    assert orchest.get_pipeline_param("p") == "x"
    assert orchest.get_pipeline_param("q", "d") == "d"
    assert orchest.parameters.get_params() == ({"k": 1, "list": [1, 2]}, {"p": "x"})


def test_context_wins_over_the_pipeline_file(world, tmp_path, monkeypatch):
    path = tmp_path / "pipeline.json"
    path.write_text(json.dumps(pipeline_definition()))
    monkeypatch.setenv("ORCHEST_PIPELINE_PATH", str(path))
    world.become("uuid-1", title="step-1", step_parameters={"k": "from run"})
    assert orchest.get_step_param("k") == "from run"
    assert orchest.get_pipeline_param("p") is None


def test_parameters_from_the_fallback_pipeline_file(fallback):
    fallback.become("uuid-2")
    assert orchest.get_step_param("k") == 2
    assert orchest.get_step_param("nested") == {"a": [1]}
    assert orchest.get_pipeline_param("n") == 3
    assert orchest.parameters.get_params() == ({"k": 2, "nested": {"a": [1]}}, {"p": "x", "n": 3})
    fallback.become("uuid-3")  # a step without "parameters"
    assert orchest.parameters.get_params() == ({}, {"p": "x", "n": 3})


# --- fallback: step uuid and pipeline file ---------------------------------------------


def test_missing_step_uuid_prints_the_hint(fallback, capsys):
    with pytest.raises(error.StepUUIDResolveError) as exc:
        orchest.utils.get_step_uuid(orchest.utils.get_pipeline())
    assert str(exc.value) == 'Environment variable "ORCHEST_STEP_UUID" not present.'
    out = capsys.readouterr().out
    assert out.startswith(
        "Please specify a pipeline step UUID by setting the ORCHEST_STEP_UUID "
        "environment variable. Choose one of the following pipeline steps:\n"
    )
    assert "ORCHEST_STEP_UUID=uuid-2 (Step with title 'step-2' and path 'step-2.py')" in out


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: orchest.get_inputs(), "Failed to determine from where to get data."),
        (lambda: orchest.output(1, None), "Failed to determine where to output data to."),
        (lambda: orchest.get_step_param("k"), "Parameters could not be identified."),
        (lambda: orchest.get_pipeline_param("p"), "Parameters could not be identified."),
    ],
)
def test_step_uuid_resolve_errors(fallback, capsys, call, message):
    with pytest.raises(error.StepUUIDResolveError) as exc:
        call()
    assert str(exc.value) == message
    assert "ORCHEST_STEP_UUID=uuid-1" in capsys.readouterr().out


def test_unknown_step_uuid(fallback):
    fallback.become("nope")
    with pytest.raises(error.StepUUIDResolveError):
        orchest.get_inputs()
    with pytest.raises(error.StepUUIDResolveError) as exc:
        orchest.pipeline.Pipeline.from_json(pipeline_definition()).get_step_by_uuid("nope")
    assert str(exc.value) == "Step does not exist in the pipeline with UUID: nope."


def test_pipeline_definition_not_found(monkeypatch, tmp_path):
    monkeypatch.setenv("ORCHEST_STEP_UUID", "uuid-1")
    missing = tmp_path / "missing.json"
    monkeypatch.setenv("ORCHEST_PIPELINE_PATH", str(missing))
    for call in (orchest.get_inputs, lambda: orchest.output(1, "x"), lambda: orchest.get_step_param("k")):
        with pytest.raises(error.PipelineDefinitionNotFoundError) as exc:
            call()
        assert str(exc.value) == f"Could not open {missing}."
    monkeypatch.delenv("ORCHEST_PIPELINE_PATH")
    with pytest.raises(error.PipelineDefinitionNotFoundError, match="ORCHEST_PIPELINE_PATH is not set"):
        orchest.get_inputs()


# --- fallback: LATEST -----------------------------------------------------------------------


def test_fallback_receive_input_order_and_latest(fallback):
    fallback.become("uuid-3")
    orchest.output("data 3", None)
    fallback.become("uuid-1")
    orchest.output("data 1", None)
    orchest.output({"x": 1}, "named")

    step1 = fallback.root / "uuid-1"
    latest = (step1 / "LATEST").read_text()
    assert re.fullmatch(r"manual-\d{8}T\d{12}Z", latest)
    # Both outputs of one process go into the same new output set.
    assert sorted(os.listdir(step1 / latest)) == [
        "named-named.data",
        "named-named.meta.json",
        "unnamed.data",
        "unnamed.meta.json",
    ]
    assert sorted(os.listdir(step1)) == ["LATEST", latest]

    fallback.become("uuid-2")
    assert orchest.get_inputs() == {"unnamed": ["data 1", "data 3"], "named": {"x": 1}}


def test_fallback_parent_without_latest(fallback):
    fallback.become("uuid-1")
    orchest.output(1, None)
    fallback.become("uuid-2")
    with pytest.raises(error.OutputNotFoundError) as exc:
        orchest.get_inputs(ignore_failure=True)
    assert str(exc.value) == (
        'Output from incoming step "step-3" ("uuid-3") cannot be found. Try rerunning it.'
    )


def test_fallback_latest_pointing_to_a_missing_set(fallback):
    for step in ("uuid-1", "uuid-3"):
        (fallback.root / step).mkdir(parents=True)
        (fallback.root / step / "LATEST").write_text("run-9-1\n")
    (fallback.root / "uuid-1" / "run-9-1").mkdir()
    fallback.become("uuid-2")
    with pytest.raises(error.OutputNotFoundError, match=r'"step-3" \("uuid-3"\)'):
        orchest.get_inputs()


def test_fallback_reads_engine_committed_sets(fallback):
    # Sets committed by the engine ("<run>-<attempt>", LATEST with newline).
    fallback.become("uuid-1")
    orchest.output("manual", None)
    for step, value in (("uuid-1", "engine 1"), ("uuid-3", "engine 3")):
        folder = fallback.root / step / "run-7-2"
        folder.mkdir(parents=True)
        (folder / "unnamed.data").write_text(json.dumps(value))
        (folder / "unnamed.meta.json").write_text(
            json.dumps({"name": None, "serialization": "JSON", "producer": "dotnet"})
        )
        (fallback.root / step / "LATEST").write_text("run-7-2\n")
    fallback.become("uuid-2")
    assert orchest.get_inputs() == {"unnamed": ["engine 1", "engine 3"]}


def test_fallback_new_process_writes_a_new_set(fallback):
    env = subprocess_env(fallback.env("uuid-1"))
    first = run_python("import orchest; orchest.output('one', None)", env)
    assert first.returncode == 0, first.stderr
    latest_1 = (fallback.root / "uuid-1" / "LATEST").read_text()
    second = run_python("import orchest; orchest.output('two', 'n')", env)
    assert second.returncode == 0, second.stderr
    latest_2 = (fallback.root / "uuid-1" / "LATEST").read_text()
    assert latest_1 != latest_2
    assert sorted(os.listdir(fallback.root / "uuid-1")) == sorted(["LATEST", latest_1, latest_2])
    run_python("import orchest; orchest.output('three', None)", subprocess_env(fallback.env("uuid-3")))

    fallback.become("uuid-2")
    # The latest set holds only what the latest run output.
    assert orchest.get_inputs() == {"unnamed": ["three"], "n": "two"}


def test_default_project_dir():
    assert Config.PROJECT_DIR == "/project-dir"
    assert Config.get_step_data_dir("s") == "/project-dir/.orchest/pipelines/data/s"


# --- step context file ------------------------------------------------------------------------


def test_malformed_blob_locations_are_rejected_clearly(world):
    # Blob locations are supported (test_blob.py); one without "container_url"
    # fails on use, with a message that names what is missing but no secret.
    blob = {"kind": "blob", "url": "https://acct/container/prefix/", "query": "sv=x&sig=SECRET"}
    world.become("C", parents=["P"], title="C", locations={"P": blob}, output=blob,
                 step_parameters={"k": 1})
    # Parameters do not need a location.
    assert orchest.get_step_param("k") == 1
    for call in (orchest.get_inputs, lambda: orchest.get_inputs(ignore_failure=True),
                 lambda: orchest.output(1, None)):
        with pytest.raises(error.UnsupportedLocationError) as exc:
            call()
        assert 'kind "blob" needs "container_url"' in str(exc.value)
        assert "SECRET" not in str(exc.value)
        assert isinstance(exc.value, error.Error)


def test_unknown_location_kind(world):
    world.become("C", parents=["P"], title="C", locations={"P": {"kind": "s3", "bucket": "b"}})
    with pytest.raises(error.UnsupportedLocationError, match='kind "s3"'):
        orchest.get_inputs()


def test_unknown_context_fields_are_ignored(world):
    world.become("A", title="A", extra={"future_field": {"x": 1}, "attempt": 2})
    orchest.output(1, None)
    assert (world.out_dir("A") / "unnamed.meta.json").exists()


def test_newer_context_protocol_is_rejected(world):
    world.become("A", title="A", extra={"protocol": 2})
    with pytest.raises(error.StepContextError, match="protocol 2"):
        orchest.get_inputs()


def test_missing_context_file(monkeypatch, tmp_path):
    monkeypatch.setenv("ORCHEST_STEP_CONTEXT", str(tmp_path / "nope.json"))
    with pytest.raises(error.StepContextError, match="does not exist"):
        orchest.get_step_param("k")


def test_get_step_uuid_uses_the_context_without_orchest_step_uuid(world, monkeypatch):
    world.become("A", title="A")
    monkeypatch.delenv("ORCHEST_STEP_UUID")
    assert orchest.utils.get_step_uuid(Pipeline.from_json({"steps": {}})) == "A"
    orchest.output("still works", None)
    assert (world.out_dir("A") / "unnamed.data").exists()


# --- config --------------------------------------------------------------------------------------


def test_config_reads_the_environment_on_access(monkeypatch):
    monkeypatch.setenv("ORCHEST_PIPELINE_PATH", "/a.json")
    assert Config.PIPELINE_DEFINITION_PATH == "/a.json"
    monkeypatch.setenv("ORCHEST_PIPELINE_PATH", "/b.json")
    assert Config.PIPELINE_DEFINITION_PATH == "/b.json"
    with mock.patch("orchest.Config.PIPELINE_DEFINITION_PATH", "/patched.json"):
        assert Config.PIPELINE_DEFINITION_PATH == "/patched.json"
    assert Config.PIPELINE_DEFINITION_PATH == "/b.json"
    assert Config._RESERVED_UNNAMED_OUTPUTS_STR == "unnamed"
    assert Config.__METADATA_SEPARATOR__ == "; "
    assert Config.silence_multiple_data_transfer_calls_warning is False
    with pytest.raises(AttributeError):
        Config.NOT_A_SETTING


# --- public API -------------------------------------------------------------------------------------


def test_public_api():
    assert orchest.__version__ == "0.4.0"
    for name in ("Config", "get_inputs", "output", "get_step_param", "get_pipeline_param",
                 "get_service", "get_services"):
        assert hasattr(orchest, name), name
    assert orchest.transfer.get_inputs is orchest.get_inputs
    assert orchest.transfer.output is orchest.output
    assert callable(orchest.transfer.output_to_disk)
    assert callable(orchest.transfer.output_to_memory)
    assert orchest.pipeline.Pipeline and orchest.pipeline.PipelineStep
    for name in (
        "Error", "PipelineDefinitionNotFoundError", "SerializationError", "DeserializationError",
        "ObjectNotFoundError", "OutputNotFoundError", "DiskOutputNotFoundError",
        "MemoryOutputNotFoundError", "OrchestNetworkError", "StepUUIDResolveError",
        "InputNameCollisionError", "DataInvalidNameError", "ServiceNotFound",
        "InvalidMetaDataError", "UnrecognizedSessionType", "SessionNotFound",
    ):
        assert issubclass(getattr(error, name), Exception), name
    assert issubclass(error.DiskOutputNotFoundError, error.OutputNotFoundError)
    assert str(error.InvalidMetaDataError("Bad.")).startswith("Bad. The issue might be caused")


def test_services_from_runner_variable(monkeypatch):
    redis = {"name": "redis", "image": "redis", "internal_hostname": "127.0.0.1", "ports": [40123],
             "container_ports": [6379], "external_urls": {}, "base_paths": {}}
    monkeypatch.setenv("ORCHEST_SERVICES", json.dumps({"redis": redis}))
    assert orchest.get_services() == {"redis": redis}
    assert orchest.get_service("redis") == redis
    assert orchest.services.get_service("redis")["ports"] == [40123]
    with pytest.raises(error.ServiceNotFound) as exc:
        orchest.get_service("postgres")
    assert str(exc.value) == "Could not find service 'postgres'; the run's services are: redis."


def test_services_none_started(monkeypatch):
    monkeypatch.delenv("ORCHEST_SERVICES", raising=False)
    assert orchest.get_services() == {}
    with pytest.raises(error.ServiceNotFound) as exc:
        orchest.get_service("db")
    assert isinstance(exc.value, error.Error)
    assert "this run started no services" in str(exc.value)
    assert "--runner docker" in str(exc.value)


@pytest.mark.parametrize("text", ["{not json", "[1, 2]"])
def test_services_bad_variable(monkeypatch, text):
    monkeypatch.setenv("ORCHEST_SERVICES", text)
    with pytest.raises(error.ServicesNotSupportedError) as exc:
        orchest.get_services()
    assert "ORCHEST_SERVICES" in str(exc.value)


def test_pipeline_objects():
    p = Pipeline.from_json(pipeline_definition())
    step2 = p.get_step_by_uuid("uuid-2")
    assert [s.properties["uuid"] for s in step2.parents] == ["uuid-1", "uuid-3"]
    assert [s.properties["uuid"] for s in p.get_step_by_uuid("uuid-1").children] == ["uuid-2"]
    assert p.get_params() == {"p": "x", "n": 3}
    assert str(step2) == "<PipelineStep: step-2>"
    assert p.to_dict()["steps"]["uuid-2"]["title"] == "step-2"
