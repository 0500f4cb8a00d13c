"""Reads what API Gateway does on its own, before any function runs, as template.yaml declares
it: the answers it gives itself (gateway responses), the stage's throttling and the body size
from which it compresses.

The local gateway and the tests of the template read these settings here; the resources,
functions, routes and authorizers they apply to are read by local.harness.template.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from local.harness import template


@dataclass(frozen=True)
class GatewayResponse:
    status: int
    body: str
    headers: tuple[tuple[str, str], ...] = ()


# API Gateway's own answers, before the template customizes them.
_DEFAULT_RESPONSES = {
    "MISSING_AUTHENTICATION_TOKEN": GatewayResponse(
        403, '{"message": "Missing Authentication Token"}'
    ),
    "UNAUTHORIZED": GatewayResponse(401, '{"message": "Unauthorized"}'),
    "ACCESS_DENIED": GatewayResponse(
        403, '{"message": "User is not authorized to access this resource"}'
    ),
    "AUTHORIZER_FAILURE": GatewayResponse(500, '{"message": null}'),
    "REQUEST_TOO_LARGE": GatewayResponse(413, '{"message": "Request Too Long"}'),
    "THROTTLED": GatewayResponse(429, '{"message": "Too Many Requests"}'),
    "INTEGRATION_FAILURE": GatewayResponse(502, '{"message": "Internal server error"}'),
}


def _header_value(value: Any, refs: Mapping[str, str]) -> str | None:
    """A gateway response header's static value ('...'), None when an Fn::If leaves it out."""
    if isinstance(value, dict) and "Fn::If" in value:
        name, when_true, when_false = value["Fn::If"]
        return _header_value(when_true if template.condition(name, refs) else when_false, refs)
    if value == {"Ref": "AWS::NoValue"}:
        return None
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1]
    raise ValueError(f"a gateway response header that is not a static value: {value!r}")


def gateway_response(kind: str, refs: Mapping[str, str] | None = None) -> GatewayResponse:
    """What API Gateway answers itself, as the template customizes it: MISSING_AUTHENTICATION_TOKEN
    for a path or method no route declares, UNAUTHORIZED for a missing or invalid token,
    ACCESS_DENIED for a token whose authorizer's policy denies the method, AUTHORIZER_FAILURE
    for an authorizer that failed,
    REQUEST_TOO_LARGE for a request over its size limits, THROTTLED over the stage's rate,
    INTEGRATION_FAILURE for a function that crashed; with its headers, the template's
    parameters given their values in `refs`."""
    default = _DEFAULT_RESPONSES[kind]
    responses = template.api_properties().get("GatewayResponses", {})
    fallback = "DEFAULT_5XX" if default.status >= 500 else "DEFAULT_4XX"
    response = responses.get(kind) or responses.get(fallback, {})
    declared = response.get("ResponseParameters", {}).get("Headers", {})
    headers = ((name, _header_value(value, refs or {})) for name, value in declared.items())
    return GatewayResponse(
        status=int(response.get("StatusCode", default.status)),
        body=response.get("ResponseTemplates", {}).get("application/json", default.body),
        headers=tuple((name, value) for name, value in headers if value is not None),
    )


@dataclass(frozen=True)
class Throttle:
    """A stage's throttling: `rate` requests a second on average, bursts of up to `burst`."""

    rate: float
    burst: int


def stage_throttle() -> Throttle | None:
    """The API's throttling for every method of every resource (MethodSettings "/*" "*")."""
    for setting in template.api_properties().get("MethodSettings", []):
        every = setting.get("ResourcePath") == "/*" and setting.get("HttpMethod") == "*"
        if every and "ThrottlingRateLimit" in setting:
            return Throttle(
                rate=float(setting["ThrottlingRateLimit"]),
                burst=int(setting["ThrottlingBurstLimit"]),
            )
    return None


def minimum_compression_size() -> int | None:
    """The smallest body the API compresses for a caller that accepts gzip (None: never)."""
    size = template.api_properties().get("MinimumCompressionSize")
    return None if size is None else int(size)
