"""Reads template.yaml, the one definition of the table, the bucket and the functions.

Tests and the local stack build their resources and find their handlers from here, so there
is no second copy of the schema to drift.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"


class _CloudFormationLoader(yaml.SafeLoader):
    """Keeps intrinsic functions (!Ref, !Sub, ...) as {"Ref": ...} / {"Fn::Sub": ...}."""


def _intrinsic(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {name: value}


_CloudFormationLoader.add_multi_constructor("!", _intrinsic)


@cache
def load() -> dict[str, Any]:
    with TEMPLATE.open() as stream:
        document: dict[str, Any] = yaml.load(stream, Loader=_CloudFormationLoader)  # noqa: S506
    return document


def resources_of_type(kind: str) -> dict[str, dict[str, Any]]:
    return {name: r for name, r in load()["Resources"].items() if r["Type"] == kind}


def table_definition(table_name: str) -> dict[str, Any]:
    """create_table arguments for the template's table."""
    (properties,) = (r["Properties"] for r in resources_of_type("AWS::DynamoDB::Table").values())
    wanted = ("AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes", "BillingMode")
    return {"TableName": table_name, **{k: properties[k] for k in wanted if k in properties}}


def resolve(value: Any, refs: Mapping[str, str]) -> str:
    """Resolve the intrinsics a function's environment uses: Ref to a resource or parameter."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Ref" in value:
        name = value["Ref"]
        if name in refs:
            return refs[name]
        parameter = load().get("Parameters", {}).get(name)
        if parameter is not None and "Default" in parameter:
            return str(parameter["Default"])
    raise ValueError(f"cannot resolve {value!r} locally")


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    function: str


@dataclass(frozen=True)
class Function:
    logical_id: str
    code_uri: Path
    handler: str
    environment: dict[str, Any]
    routes: tuple[Route, ...]

    def resolved_environment(self, refs: Mapping[str, str]) -> dict[str, str]:
        return {name: resolve(value, refs) for name, value in self.environment.items()}


def functions() -> dict[str, Function]:
    """Every function with its merged environment (Globals first) and its API routes."""
    global_env = (
        load().get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {})
    )
    found = {}
    for name, resource in resources_of_type("AWS::Serverless::Function").items():
        properties = resource["Properties"]
        own_env = properties.get("Environment", {}).get("Variables", {})
        routes = tuple(
            Route(
                method=e["Properties"]["Method"].upper(),
                path=e["Properties"]["Path"],
                function=name,
            )
            for e in properties.get("Events", {}).values()
            if e["Type"] == "Api"
        )
        found[name] = Function(
            logical_id=name,
            code_uri=ROOT / properties["CodeUri"],
            handler=properties["Handler"],
            environment={**global_env, **own_env},
            routes=routes,
        )
    return found


def routes() -> list[Route]:
    return [route for function in functions().values() for route in function.routes]
