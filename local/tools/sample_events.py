"""The sample events in events/ (`make events`), one per operation of the OpenAPI document, a
few more, and one S3 upload, for `sam local invoke` and `make invoke`.

    python -m local.tools.sample_events

They are built by the same builders as the tests' events (local.harness.events), with fixed
request ids and times so the committed files change only when the event shape does; the tests
check that the committed files are current.
"""

import json
import re
from typing import Any

from local.harness.events import ADMIN_CLAIMS, api_event, s3_put_event, user_claims
from local.harness.template import ROOT

EVENTS = ROOT / "events"
OPENAPI_DOCUMENT = ROOT / "functions" / "docs" / "openapi.json"


SAMPLE_BUCKET = "advisor-book-seed"


def _snake_case(operation_id: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", operation_id).lower()


def _example(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """A schema's first example, following a $ref to the component it names."""
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    return schema["examples"][0]


def operation_samples() -> dict[str, dict[str, Any]]:
    """One admin's event per operation of the OpenAPI document (named by its operationId),
    its path parameters and body the document's own examples: a route added to the API gets
    its sample from its declaration."""
    document = json.loads(OPENAPI_DOCUMENT.read_text())
    components = document.get("components", {}).get("schemas", {})
    samples = {}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            parameters = {
                p["name"]: _example(p["schema"], components)
                for p in operation.get("parameters", [])
                if p["in"] == "path"
            }
            content = operation.get("requestBody", {}).get("content", {})
            body = content.get("application/json", {}).get("schema")
            samples[f"{_snake_case(operation['operationId'])}.json"] = api_event(
                method.upper(),
                path,
                path_parameters=parameters,
                headers={"Content-Type": ["application/json"]} if body else None,
                body=json.dumps(_example(body, components)) if body else None,
                claims=ADMIN_CLAIMS,
            )
    return samples


# Samples beyond one per operation: filtered listings, suggestions for focus areas, an
# advisor's view, the two public documentation routes (not in the document), and a seed-file
# upload.
EXTRA_SAMPLES: dict[str, dict[str, Any]] = {
    "list_advisors_by_focus_area.json": api_event(
        "GET",
        "/advisors",
        query={"focus_area": ["retirement planning"], "limit": ["5"]},
        claims=ADMIN_CLAIMS,
    ),
    "list_clients_by_name.json": api_event(
        "GET",
        "/clients",
        query={"name": ["luci"], "limit": ["10"]},
        claims=ADMIN_CLAIMS,
    ),
    "list_unassigned_clients.json": api_event(
        "GET",
        "/clients",
        query={"unassigned": ["true"]},
        claims=ADMIN_CLAIMS,
    ),
    "list_advisor_clients_as_advisor.json": api_event(
        "GET",
        "/advisors/{advisor_id}/clients",
        path_parameters={"advisor_id": "adv-001"},
        claims=user_claims("adv-001", ["advisor"], advisor_id="adv-001"),
    ),
    "suggest_advisors_by_focus_area.json": api_event(
        "GET",
        "/clients/{client_id}/advisor-suggestions",
        path_parameters={"client_id": "cli-0001"},
        query={"focus_area": ["Retirement Planning", "Tax Planning"], "limit": ["3"]},
        claims=ADMIN_CLAIMS,
    ),
    "get_openapi_document.json": api_event("GET", "/openapi.json"),
    "get_swagger_ui.json": api_event("GET", "/swagger"),
    "s3_seed_uploaded.json": s3_put_event(
        SAMPLE_BUCKET, "data.json", etag="d41d8cd98f00b204e9800998ecf8427e"
    ),
}


def samples() -> dict[str, dict[str, Any]]:
    return {**operation_samples(), **EXTRA_SAMPLES}


_STABLE = {"requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef", "requestTimeEpoch": 1767225600000}


def stable(event: dict[str, Any]) -> dict[str, Any]:
    """The same event with fixed request id and times, so the committed files do not churn."""
    event = json.loads(json.dumps(event))
    if "requestContext" in event:
        context = event["requestContext"]
        context.update(_STABLE)
        context["extendedRequestId"] = _STABLE["requestId"]
        context["requestTime"] = "01/Jan/2026:00:00:00 +0000"
    for record in event.get("Records", []):
        record["eventTime"] = "2026-01-01T00:00:00.000Z"
    return event


def render(event: dict[str, Any]) -> str:
    return json.dumps(stable(event), indent=2) + "\n"


def write_samples() -> None:
    EVENTS.mkdir(exist_ok=True)
    for name, event in samples().items():
        (EVENTS / name).write_text(render(event))


if __name__ == "__main__":
    write_samples()
