"""Builders for the events Lambda receives: API Gateway REST proxy events and S3 notifications.

The files in events/ are written by these builders (`make events`), and the tests and the
local stack use the same builders, so all three agree on the event shape.
"""

import base64
import json
import time
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

ROOT = Path(__file__).resolve().parent.parent
EVENTS = ROOT / "events"


def api_event(
    method: str,
    resource: str,
    *,
    path_parameters: dict[str, str] | None = None,
    query: dict[str, list[str]] | None = None,
    headers: dict[str, list[str]] | None = None,
    body: bytes | str | None = None,
    stage: str = "dev",
    request_id: str | None = None,
    source_ip: str = "127.0.0.1",
    claims: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A REST API (v1) proxy event, as API Gateway builds it for a Lambda proxy integration.

    `resource` is the template's path ("/advisors/{advisor_id}"); the request path is filled
    in from the path parameters. Single-value maps keep the last value, as API Gateway does.
    `claims` are those of the ID token that API Gateway's Cognito authorizer verified (see
    `user_claims`): the event carries them as the authorizer passes them, and the token itself
    in the Authorization header, unless `headers` already holds the caller's own.
    """
    parameters = path_parameters or {}
    path = resource
    for name, value in parameters.items():
        path = path.replace("{" + name + "}", value)
    headers = {"Accept": ["application/json"], **(headers or {})}
    if claims is not None and not any(name.lower() == "authorization" for name in headers):
        headers["Authorization"] = [unverified_token(claims)]
    encoded = isinstance(body, bytes)
    if isinstance(body, bytes):
        try:
            body_text: str | None = body.decode("utf-8")
            encoded = False
        except UnicodeDecodeError:
            body_text = base64.b64encode(body).decode("ascii")
    else:
        body_text = body
    request_id = request_id or str(uuid.uuid4())
    now = datetime.now(UTC)
    event: dict[str, Any] = {
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "headers": {name: values[-1] for name, values in headers.items()},
        "multiValueHeaders": headers,
        "queryStringParameters": {k: v[-1] for k, v in query.items()} if query else None,
        "multiValueQueryStringParameters": query or None,
        "pathParameters": parameters or None,
        "stageVariables": None,
        "requestContext": {
            "resourceId": "local",
            "resourcePath": resource,
            "httpMethod": method,
            "extendedRequestId": request_id,
            "requestTime": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "path": f"/{stage}{path}",
            "accountId": "123456789012",
            "protocol": "HTTP/1.1",
            "stage": stage,
            "domainPrefix": "localhost",
            "requestTimeEpoch": int(now.timestamp() * 1000),
            "requestId": request_id,
            "identity": {"sourceIp": source_ip, "userAgent": headers.get("User-Agent", [""])[-1]},
            "domainName": "localhost",
            "apiId": "local",
        },
        "body": body_text,
        "isBase64Encoded": encoded,
    }
    if claims is not None:
        event["requestContext"]["authorizer"] = {"claims": authorizer_claims(claims)}
    return event


DATE_FORMAT = "%a %b %d %H:%M:%S UTC %Y"  # how API Gateway renders exp, iat and auth_time


def _as_api_gateway_claim(name: str, value: Any) -> str:
    if name in ("exp", "iat", "auth_time") and isinstance(value, int):
        return time.strftime(DATE_FORMAT, time.gmtime(value))
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)


def authorizer_claims(claims: Mapping[str, Any]) -> dict[str, str]:
    """A token's claims as API Gateway's Cognito authorizer hands them to a function: every
    value a string, lists comma-separated, times as dates."""
    return {name: _as_api_gateway_claim(name, value) for name, value in claims.items()}


def unverified_token(claims: Mapping[str, Any]) -> str:
    """A JWT carrying `claims`, for events that stand in for what API Gateway passes after its
    authorizer verified the caller's token. Nothing checks its signature after the authorizer,
    so it has none worth the name; the local gateway passes callers' real tokens instead."""

    def part(value: Mapping[str, Any]) -> str:
        raw = json.dumps(dict(value), separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}.local"


ISSUED_AT = 1767225600  # 2026-01-01T00:00:00Z: the sample events stay the same from run to run


def user_claims(
    username: str, groups: Sequence[str], advisor_id: str | None = None
) -> dict[str, Any]:
    """The claims of a local user's ID token, as Cognito issues them: its groups as a list,
    times as seconds since the epoch."""
    claims: dict[str, Any] = {
        "sub": str(uuid.uuid5(uuid.NAMESPACE_URL, f"advisor-book:{username}")),
        "cognito:username": username,
        "cognito:groups": list(groups),
        "token_use": "id",
        "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_local",
        "aud": "local",
        "auth_time": ISSUED_AT,
        "iat": ISSUED_AT,
        "exp": ISSUED_AT + 3600,
    }
    if advisor_id is not None:
        claims["custom:advisor_id"] = advisor_id
    return claims


ADMIN_CLAIMS = user_claims("admin", ["admin"])


def s3_put_event(
    bucket: str, key: str, *, version_id: str | None = None, etag: str = "0", size: int = 0
) -> dict[str, Any]:
    """An s3:ObjectCreated:Put notification for one object; the key is URL-encoded as S3 does."""
    obj: dict[str, Any] = {"key": quote_plus(key, safe="/"), "size": size, "eTag": etag}
    if version_id is not None:
        obj["versionId"] = version_id
    obj["sequencer"] = "0A1B2C3D4E5F678901"
    return {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": "us-east-1",
                "eventTime": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
                "eventName": "ObjectCreated:Put",
                "userIdentity": {"principalId": "EXAMPLE"},
                "requestParameters": {"sourceIPAddress": "127.0.0.1"},
                "responseElements": {"x-amz-request-id": "EXAMPLE", "x-amz-id-2": "EXAMPLE"},
                "s3": {
                    "s3SchemaVersion": "1.0",
                    "configurationId": "SeedUploaded",
                    "bucket": {
                        "name": bucket,
                        "ownerIdentity": {"principalId": "EXAMPLE"},
                        "arn": f"arn:aws:s3:::{bucket}",
                    },
                    "object": obj,
                },
            }
        ]
    }


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
