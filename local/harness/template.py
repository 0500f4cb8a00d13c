"""Reads template.yaml, the one definition of the table, the bucket and the functions.

Tests and the local stack build their resources and find their handlers from here, so there
is no second copy of the schema to drift. What API Gateway does on its own (its responses,
throttling and compression) is read by local.harness.api_settings.
"""

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
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


def table_definition(table_name: str, logical_id: str | None = None) -> dict[str, Any]:
    """create_table arguments for the template's table (the one named, or the only one)."""
    tables = resources_of_type("AWS::DynamoDB::Table")
    properties = tables[logical_id or next(iter(tables))]["Properties"]
    wanted = ("AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes", "BillingMode")
    definition = {"TableName": table_name, **{k: properties[k] for k in wanted if k in properties}}
    stream = properties.get("StreamSpecification")
    if stream is not None:
        definition["StreamSpecification"] = {
            "StreamEnabled": True,
            "StreamViewType": stream["StreamViewType"],
        }
    return definition


# What CloudFormation's pseudo parameters are locally: the emulator's region and account.
PSEUDO_PARAMETERS = {
    "AWS::Region": "us-east-1",
    "AWS::AccountId": "123456789012",
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
}


def resolve(value: Any, refs: Mapping[str, str]) -> str:
    """Resolve the intrinsics a function's environment uses: Ref to a resource or parameter,
    and Sub of those and of the pseudo parameters."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Ref" in value:
        name = value["Ref"]
        if name in refs:
            return refs[name]
        if name in PSEUDO_PARAMETERS:
            return PSEUDO_PARAMETERS[name]
        parameter = load().get("Parameters", {}).get(name)
        if parameter is not None and "Default" in parameter:
            return str(parameter["Default"])
    if isinstance(value, dict) and isinstance(value.get("Fn::Sub"), str):
        return re.sub(
            r"\$\{([^}!]+)\}", lambda m: resolve({"Ref": m.group(1)}, refs), value["Fn::Sub"]
        )
    raise ValueError(f"cannot resolve {value!r} locally")


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    function: str
    # The Lambda authorizer (its name in the API's Auth) the route is behind; None when public.
    authorizer: str | None = None


@dataclass(frozen=True)
class BucketTrigger:
    """An S3 event source: uploads to `bucket` matching the filter invoke the function."""

    bucket: str
    events: tuple[str, ...]
    prefix: str
    suffix: str


@dataclass(frozen=True)
class AsyncFailures:
    """What Lambda does with an event it was handed asynchronously (an S3 notification) that
    the function failed on: `retries` more tries, then a record of the failure sent to the
    `on_failure` queue (logical id), if there is one (EventInvokeConfig)."""

    retries: int = 2
    on_failure: str | None = None


@dataclass(frozen=True)
class Function:
    logical_id: str
    code_uri: Path
    handler: str
    environment: dict[str, Any]
    routes: tuple[Route, ...]
    bucket_triggers: tuple[BucketTrigger, ...]
    timeout_seconds: int
    memory_mb: int
    async_failures: AsyncFailures = AsyncFailures()

    def resolved_environment(self, refs: Mapping[str, str]) -> dict[str, str]:
        return {name: resolve(value, refs) for name, value in self.environment.items()}


def _bucket_trigger(properties: dict[str, Any]) -> BucketTrigger:
    rules = properties.get("Filter", {}).get("S3Key", {}).get("Rules", [])
    by_name = {rule["Name"].lower(): rule["Value"] for rule in rules}
    events = properties["Events"]
    return BucketTrigger(
        bucket=properties["Bucket"]["Ref"],
        events=tuple(events) if isinstance(events, list) else (events,),
        prefix=by_name.get("prefix", ""),
        suffix=by_name.get("suffix", ""),
    )


def _async_failures(properties: dict[str, Any]) -> AsyncFailures:
    config = properties.get("EventInvokeConfig", {})
    on_failure = config.get("DestinationConfig", {}).get("OnFailure")
    destination = None
    if on_failure is not None:
        if on_failure.get("Type") != "SQS" or "Fn::GetAtt" not in on_failure["Destination"]:
            raise ValueError("locally, an on-failure destination must be a queue of the template")
        destination = on_failure["Destination"]["Fn::GetAtt"][0]
    return AsyncFailures(retries=int(config.get("MaximumRetryAttempts", 2)), on_failure=destination)


def api_properties() -> dict[str, Any]:
    """The properties of the template's one REST API (AWS::Serverless::Api)."""
    (api,) = resources_of_type("AWS::Serverless::Api").values()
    properties: dict[str, Any] = api["Properties"]
    return properties


def _route_authorizer(event: dict[str, Any]) -> str | None:
    """The route's authorizer: its own Auth.Authorizer, else the API's DefaultAuthorizer; NONE
    makes it public."""
    default = api_properties().get("Auth", {}).get("DefaultAuthorizer")
    name = event.get("Auth", {}).get("Authorizer", default)
    if name is None or name == "NONE":
        return None
    authorizer(name)  # one the local gateway can run, or a clear error now
    return str(name)


@dataclass(frozen=True)
class Authorizer:
    """A Lambda TOKEN authorizer of the API: the function API Gateway calls with the `header`'s
    value, whose answer it caches per token for `reauthorize_every` seconds."""

    name: str
    function: str
    header: str
    reauthorize_every: int


def authorizer(name: str) -> Authorizer:
    declared = api_properties().get("Auth", {}).get("Authorizers", {}).get(name)
    if declared is None or "FunctionArn" not in declared:
        raise ValueError(f"the API has no Lambda authorizer {name}")
    if declared.get("FunctionPayloadType", "TOKEN") != "TOKEN":
        raise ValueError(f"{name}: locally, only TOKEN authorizers are run")
    identity = declared.get("Identity", {})
    return Authorizer(
        name=name,
        function=declared["FunctionArn"]["Fn::GetAtt"][0],
        header=identity.get("Header", "Authorization"),
        reauthorize_every=int(identity.get("ReauthorizeEvery", 300)),
    )


def authorizers() -> dict[str, Authorizer]:
    """Every Lambda authorizer of the API, by name."""
    declared = api_properties().get("Auth", {}).get("Authorizers", {})
    return {name: authorizer(name) for name in declared}


def functions() -> dict[str, Function]:
    """Every function with its merged settings (Globals first), API routes and S3 triggers."""
    defaults = load().get("Globals", {}).get("Function", {})
    global_env = defaults.get("Environment", {}).get("Variables", {})
    found = {}
    for name, resource in resources_of_type("AWS::Serverless::Function").items():
        properties = resource["Properties"]
        own_env = properties.get("Environment", {}).get("Variables", {})
        events = list(properties.get("Events", {}).values())
        found[name] = Function(
            logical_id=name,
            code_uri=ROOT / properties["CodeUri"],
            handler=properties["Handler"],
            environment={**global_env, **own_env},
            routes=tuple(
                Route(
                    method=e["Properties"]["Method"].upper(),
                    path=e["Properties"]["Path"],
                    function=name,
                    authorizer=_route_authorizer(e["Properties"]),
                )
                for e in events
                if e["Type"] == "Api"
            ),
            bucket_triggers=tuple(
                _bucket_trigger(e["Properties"]) for e in events if e["Type"] == "S3"
            ),
            timeout_seconds=int(properties.get("Timeout", defaults.get("Timeout", 3))),
            memory_mb=int(properties.get("MemorySize", defaults.get("MemorySize", 128))),
            async_failures=_async_failures(properties),
        )
    return found


def routes() -> list[Route]:
    return [route for function in functions().values() for route in function.routes]


def operations() -> list[Route]:
    """The routes that are the API's operations: not the catch-all ANY routes nor the CORS
    preflights (OPTIONS), which DocsFunction answers on every resource."""
    return [route for route in routes() if route.method not in ("ANY", "OPTIONS")]


def parameter_default(name: str) -> str:
    return str(load()["Parameters"][name]["Default"])


def condition(name: str, refs: Mapping[str, str]) -> bool:
    """The value of one of the template's conditions, with its parameters' values in `refs`
    (their defaults otherwise)."""

    def evaluate(node: Any) -> Any:
        if isinstance(node, dict) and len(node) == 1:
            ((function, argument),) = node.items()
            match function:
                case "Ref":
                    return resolve(node, refs)
                case "Condition":
                    return condition(argument, refs)
                case "Fn::Not":
                    return not evaluate(argument[0])
                case "Fn::Equals":
                    return evaluate(argument[0]) == evaluate(argument[1])
                case "Fn::And":
                    return all(evaluate(a) for a in argument)
                case "Fn::Or":
                    return any(evaluate(a) for a in argument)
        if isinstance(node, str):
            return node
        raise ValueError(f"cannot evaluate {node!r} locally")

    return bool(evaluate(load()["Conditions"][name]))


@dataclass(frozen=True)
class QueueTrigger:
    """An SQS event source mapping: messages on `queue` invoke `function`."""

    queue: str
    function: str


@dataclass(frozen=True)
class RedrivePolicy:
    """Messages received `max_receive_count` times move to the `target` queue (logical id)."""

    target: str
    max_receive_count: int


def redrive_policy(queue: str) -> RedrivePolicy | None:
    policy = load()["Resources"][queue]["Properties"].get("RedrivePolicy")
    if policy is None:
        return None
    return RedrivePolicy(
        target=policy["deadLetterTargetArn"]["Fn::GetAtt"][0],
        max_receive_count=int(policy["maxReceiveCount"]),
    )


def _mapping_source(mapping: dict[str, Any]) -> tuple[str, str]:
    """The logical id and the kind (AWS::SQS::Queue, AWS::DynamoDB::Table) of what an event
    source mapping reads."""
    source, attribute = mapping["Properties"]["EventSourceArn"]["Fn::GetAtt"]
    kind = load()["Resources"][source]["Type"]
    expected = {"AWS::SQS::Queue": "Arn", "AWS::DynamoDB::Table": "StreamArn"}.get(kind)
    if attribute != expected:
        raise ValueError(f"locally, an event source mapping cannot read {source}.{attribute}")
    return source, kind


def queue_triggers() -> list[QueueTrigger]:
    mappings = resources_of_type("AWS::Lambda::EventSourceMapping").values()
    return [
        QueueTrigger(
            queue=_mapping_source(m)[0],
            function=m["Properties"]["FunctionName"]["Ref"],
        )
        for m in mappings
        if _mapping_source(m)[1] == "AWS::SQS::Queue"
    ]


@dataclass(frozen=True)
class StreamTrigger:
    """A DynamoDB stream event source mapping: batches of the `table`'s stream records that
    match one of the `filters` (event patterns) invoke `function`; a batch that still fails
    after `max_retries` retries is described in the `on_failure` queue (logical id)."""

    name: str
    table: str
    function: str
    starting_position: str
    batch_size: int
    filters: tuple[dict[str, Any], ...]
    reports_item_failures: bool
    bisect_on_error: bool
    max_retries: int
    on_failure: str | None


# What the local stream reader (local.stack.streams) does as Lambda does; any other property
# of a stream mapping is refused rather than silently ignored.
_STREAM_MAPPING_PROPERTIES = {
    "FunctionName",
    "EventSourceArn",
    "StartingPosition",
    "BatchSize",
    "FilterCriteria",
    "FunctionResponseTypes",
    "BisectBatchOnFunctionError",
    "MaximumRetryAttempts",
    "DestinationConfig",
}


def _stream_trigger(name: str, properties: dict[str, Any]) -> StreamTrigger:
    unknown = set(properties) - _STREAM_MAPPING_PROPERTIES
    if unknown:
        raise ValueError(f"{name}: the local stream reader does not do {sorted(unknown)}")
    response_types = properties.get("FunctionResponseTypes", [])
    if set(response_types) - {"ReportBatchItemFailures"}:
        raise ValueError(f"{name}: unknown FunctionResponseTypes {response_types}")
    on_failure = properties.get("DestinationConfig", {}).get("OnFailure")
    destination = None
    if on_failure is not None:
        target = on_failure["Destination"].get("Fn::GetAtt", [None, None])
        if target[1] != "Arn" or load()["Resources"][target[0]]["Type"] != "AWS::SQS::Queue":
            raise ValueError(f"{name}: locally, an on-failure destination must be a queue")
        destination = target[0]
    filters = properties.get("FilterCriteria", {}).get("Filters", [])
    return StreamTrigger(
        name=name,
        table=properties["EventSourceArn"]["Fn::GetAtt"][0],
        function=properties["FunctionName"]["Ref"],
        starting_position=properties["StartingPosition"],
        batch_size=int(properties.get("BatchSize", 100)),
        filters=tuple(json.loads(f["Pattern"]) for f in filters),
        reports_item_failures="ReportBatchItemFailures" in response_types,
        bisect_on_error=bool(properties.get("BisectBatchOnFunctionError", False)),
        max_retries=int(properties.get("MaximumRetryAttempts", -1)),
        on_failure=destination,
    )


def stream_triggers() -> list[StreamTrigger]:
    """The template's DynamoDB stream event source mappings."""
    return [
        _stream_trigger(name, m["Properties"])
        for name, m in resources_of_type("AWS::Lambda::EventSourceMapping").items()
        if _mapping_source(m)[1] == "AWS::DynamoDB::Table"
    ]
