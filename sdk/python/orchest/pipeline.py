"""Pipeline definition objects (Orchest-compatible)."""

from typing import Any, Dict, List, Optional

from orchest import error


class PipelineStep:
    """A step of a pipeline (a node of the graph).

    Args:
        properties: the step object of the pipeline definition.
        parents: the incoming steps, in ``incoming_connections`` order.
    """

    def __init__(
        self,
        properties: Dict[str, Any],
        parents: Optional[List["PipelineStep"]] = None,
    ) -> None:
        self.properties = properties
        self.parents = parents if parents is not None else []
        self.children: List["PipelineStep"] = []

    def get_params(self) -> Dict[str, Any]:
        return self.properties.get("parameters") or {}

    def update_params(self, params: Dict[str, Any]) -> None:
        for key in params:
            if not isinstance(key, str):
                raise TypeError(
                    f"Parameter keys can only be of type string. Key {key} "
                    f"of type {type(key)} is invalid."
                )
        if isinstance(self.properties.get("parameters"), dict):
            self.properties["parameters"].update(params)
        else:
            self.properties["parameters"] = dict(params)

    def _label(self) -> Optional[str]:
        if not self.properties:
            return None
        return self.properties.get("title", self.properties.get("name"))

    def __str__(self) -> str:
        if self.properties:
            return f"<PipelineStep: {self._label()}>"
        return "<Pipelinestep: None>"

    def __repr__(self) -> str:
        if self.properties:
            return f"PipelineStep({self._label()!r})"
        return "Pipelinestep(None)"


class Pipeline:
    def __init__(self, steps: List[PipelineStep], properties: Dict[str, Any]) -> None:
        self.steps = steps
        self.properties = properties

    @classmethod
    def from_json(cls, description: Dict[str, Any]) -> "Pipeline":
        """Constructs a pipeline from its JSON description."""
        steps = {
            uuid: PipelineStep(properties)
            for uuid, properties in (description.get("steps") or {}).items()
        }
        for step in steps.values():
            for uuid in step.properties.get("incoming_connections") or []:
                parent = steps.get(uuid)
                if parent is None:
                    # A dangling connection: the definition is invalid; the
                    # engine rejects it, here it is ignored.
                    continue
                step.parents.append(parent)
                parent.children.append(step)

        properties = {
            "name": description.get("name"),
            "uuid": description.get("uuid"),
            "settings": description.get("settings"),
            "parameters": description.get("parameters") or {},
            "services": description.get("services") or {},
        }
        return cls(list(steps.values()), properties)

    def to_dict(self) -> Dict[str, Any]:
        description: Dict[str, Any] = {"steps": {}}
        for step in self.steps:
            description["steps"][step.properties["uuid"]] = step.properties
        description.update(self.properties)
        return description

    def get_step_by_uuid(self, uuid: str) -> PipelineStep:
        """Gets a step by its UUID.

        Raises:
            StepUUIDResolveError: no step has this UUID.
        """
        for step in self.steps:
            if step.properties.get("uuid") == uuid:
                return step
        raise error.StepUUIDResolveError(
            f"Step does not exist in the pipeline with UUID: {uuid}."
        )

    def get_params(self) -> Dict[str, Any]:
        return self.properties.get("parameters") or {}

    def update_params(self, params: Dict[str, Any]) -> None:
        for key in params:
            if not isinstance(key, str):
                raise TypeError(
                    f"Parameter keys can only be of type string. Key {key} "
                    f"of type {type(key)} is invalid."
                )
        if isinstance(self.properties.get("parameters"), dict):
            self.properties["parameters"].update(params)
        else:
            self.properties["parameters"] = dict(params)

    def __repr__(self) -> str:
        return f"Pipeline({self.steps!r})"
