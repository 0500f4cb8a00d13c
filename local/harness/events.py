"""Builders for the events Lambda receives: API Gateway REST proxy events (with the context
the API's Lambda authorizer passes on) and S3 notifications.

The tests, the local stack's gateway and the sample files in events/ (local.tools.sample_events)
all build their events here, so all three agree on the event shape.
"""

import base64
import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote_plus


def _wire_body(body: bytes | str | None) -> tuple[str | None, bool]:
    """The event's body and isBase64Encoded: text as it is, bytes base64 unless UTF-8."""
    if not isinstance(body, bytes):
        return body, False
    try:
        return body.decode("utf-8"), False
    except UnicodeDecodeError:
        return base64.b64encode(body).decode("ascii"), True


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
    authorizer: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A REST API (v1) proxy event, as API Gateway builds it for a Lambda proxy integration.

    `resource` is the template's path ("/advisors/{advisor_id}"); the request path is filled
    in from the path parameters. Single-value maps keep the last value, as API Gateway does.
    `claims` are those of a token the API's authorizer verified (see `user_claims` and
    `service_claims`): the event carries what the authorizer answers for them (its layer
    function, advisor_book.tokens.allow, makes the answer here too), or `authorizer` gives
    `requestContext.authorizer` itself (the local gateway's, from its authorizer's answer).
    """
    parameters = path_parameters or {}
    path = resource
    for name, value in parameters.items():
        path = path.replace("{" + name + "}", value)
    headers = {"Accept": ["application/json"], **(headers or {})}
    body_text, encoded = _wire_body(body)
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
        "requestContext": _request_context(
            method,
            resource,
            f"/{stage}{path}",
            stage,
            request_id or str(uuid.uuid4()),
            {"sourceIp": source_ip, "userAgent": headers.get("User-Agent", [""])[-1]},
        ),
        "body": body_text,
        "isBase64Encoded": encoded,
    }
    if claims is not None:
        arn = method_arn(method, f"/{stage}{path}")
        authorizer = request_authorizer(verified_answer(claims, arn))
    if authorizer is not None:
        event["requestContext"]["authorizer"] = dict(authorizer)
    return event


API_ID = "local"
ACCOUNT_ID = "123456789012"
REGION = "us-east-1"


def method_arn(method: str, stage_path: str) -> str:
    """The ARN of a method API Gateway hands a TOKEN authorizer: `stage_path` is
    "/<stage>/<path>"."""
    stage, _, path = stage_path.lstrip("/").partition("/")
    return f"arn:aws:execute-api:{REGION}:{ACCOUNT_ID}:{API_ID}/{stage}/{method}/{path}"


def verified_answer(claims: Mapping[str, Any], arn: str) -> dict[str, Any]:
    """What the API's authorizer answers for a token it verified with `claims`."""
    # Imported here: the layer is on the path of the tests, and of the stack once it runs.
    from advisor_book.tokens import allow

    return allow(claims, arn)


def request_authorizer(answer: Mapping[str, Any]) -> dict[str, str]:
    """`requestContext.authorizer` as API Gateway makes it from a Lambda authorizer's answer:
    the answer's context, every value a string, and its principalId."""
    context = answer.get("context") or {}
    return {
        **{name: _context_value(value) for name, value in context.items()},
        "principalId": str(answer["principalId"]),
    }


def _context_value(value: Any) -> str:
    return json.dumps(value) if isinstance(value, bool) else str(value)


def _request_context(
    method: str, resource: str, path: str, stage: str, request_id: str, identity: dict[str, str]
) -> dict[str, Any]:
    """The request context API Gateway adds to a proxy event (no authorizer yet)."""
    now = datetime.now(UTC)
    return {
        "resourceId": "local",
        "resourcePath": resource,
        "httpMethod": method,
        "extendedRequestId": request_id,
        "requestTime": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
        "path": path,
        "accountId": ACCOUNT_ID,
        "protocol": "HTTP/1.1",
        "stage": stage,
        "domainPrefix": "localhost",
        "requestTimeEpoch": int(now.timestamp() * 1000),
        "requestId": request_id,
        "identity": identity,
        "domainName": "localhost",
        "apiId": API_ID,
    }


ISSUED_AT = 1767225600  # 2026-01-01T00:00:00Z: the sample events stay the same from run to run


def user_claims(
    username: str, groups: Sequence[str], advisor_id: str | None = None
) -> dict[str, Any]:
    """The claims of a local user's ID token, as Cognito issues them: its groups as a list,
    times as seconds since the epoch, for the people's app client ("local")."""
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


def service_claims(client_id: str, scopes: Sequence[str]) -> dict[str, Any]:
    """The claims of an access token from the client-credentials grant, as Cognito issues them:
    the app client as subject, its granted scopes space-separated (`advisor-book/read`)."""
    return {
        "sub": client_id,
        "client_id": client_id,
        "token_use": "access",
        "scope": " ".join(scopes),
        "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_local",
        "auth_time": ISSUED_AT,
        "iat": ISSUED_AT,
        "exp": ISSUED_AT + 3600,
        "version": 2,
        "jti": str(uuid.uuid5(uuid.NAMESPACE_URL, f"advisor-book:{client_id}")),
    }


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
