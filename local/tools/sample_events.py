"""The sample events in events/ (`make events`), one per API route and one S3 upload, for
`sam local invoke` on a machine with Docker.

    python -m local.tools.sample_events

They are built by the same builders as the tests' events (local.harness.events), with fixed
request ids and times so the committed files change only when the event shape does; the tests
check that the committed files are current.
"""

import json
from typing import Any

from local.harness.events import ADMIN_CLAIMS, api_event, s3_put_event, user_claims
from local.harness.template import ROOT

EVENTS = ROOT / "events"


def _json_body(value: Any) -> str:
    return json.dumps(value)


SAMPLE_BUCKET = "advisor-book-seed"

SAMPLES: dict[str, dict[str, Any]] = {
    "list_advisors.json": api_event("GET", "/advisors", claims=ADMIN_CLAIMS),
    "list_advisors_by_focus_area.json": api_event(
        "GET",
        "/advisors",
        query={"focus_area": ["retirement planning"], "limit": ["5"]},
        claims=ADMIN_CLAIMS,
    ),
    "get_advisor.json": api_event(
        "GET",
        "/advisors/{advisor_id}",
        path_parameters={"advisor_id": "adv-001"},
        claims=ADMIN_CLAIMS,
    ),
    "list_advisor_clients.json": api_event(
        "GET",
        "/advisors/{advisor_id}/clients",
        path_parameters={"advisor_id": "adv-001"},
        query={"limit": ["10"]},
        claims=ADMIN_CLAIMS,
    ),
    "list_advisor_clients_as_advisor.json": api_event(
        "GET",
        "/advisors/{advisor_id}/clients",
        path_parameters={"advisor_id": "adv-001"},
        claims=user_claims("adv-001", ["advisor"], advisor_id="adv-001"),
    ),
    "get_client.json": api_event(
        "GET",
        "/clients/{client_id}",
        path_parameters={"client_id": "cli-0001"},
        claims=ADMIN_CLAIMS,
    ),
    "list_assignment_history.json": api_event(
        "GET",
        "/clients/{client_id}/assignments",
        path_parameters={"client_id": "cli-0001"},
        claims=ADMIN_CLAIMS,
    ),
    "assign_advisor.json": api_event(
        "PUT",
        "/clients/{client_id}/advisor",
        path_parameters={"client_id": "cli-0001"},
        headers={"Content-Type": ["application/json"]},
        body=_json_body({"advisor_id": "adv-001"}),
        claims=ADMIN_CLAIMS,
    ),
    "unassign_advisor.json": api_event(
        "DELETE",
        "/clients/{client_id}/advisor",
        path_parameters={"client_id": "cli-0001"},
        claims=ADMIN_CLAIMS,
    ),
    "list_imports.json": api_event(
        "GET", "/imports", query={"key": ["data.json"]}, claims=ADMIN_CLAIMS
    ),
    "get_import.json": api_event(
        "GET",
        "/imports/{import_id}",
        path_parameters={"import_id": "imp-000000000000000000000000"},
        claims=ADMIN_CLAIMS,
    ),
    "get_openapi_document.json": api_event("GET", "/openapi.json"),
    "get_swagger_ui.json": api_event("GET", "/swagger"),
    "s3_seed_uploaded.json": s3_put_event(
        SAMPLE_BUCKET, "data.json", etag="d41d8cd98f00b204e9800998ecf8427e"
    ),
}

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
    for name, event in SAMPLES.items():
        (EVENTS / name).write_text(render(event))


if __name__ == "__main__":
    write_samples()
