"""A local stand-in for API Gateway's REST API with Lambda proxy integrations: routing, the
Cognito authorizer's check, and the proxy event and response.

Routes come from template.yaml. Each HTTP request becomes the proxy event API Gateway would
send (resource, path parameters, single and multi-value headers and query strings, body and
base64 flag, request context), goes to the function the template maps the route to, and the
function's response goes back with its status, headers and body. A route behind the template's
Cognito authorizer first needs a valid token in the Authorization header (local.stack.cognito):
an ID token, or an access token with one of the route's AuthorizationScopes if it has any;
without one the gateway answers the template's UNAUTHORIZED response, as API Gateway does.
`POST /oauth2/token` is the user pool domain's token endpoint (local.stack.cognito), served
here because the local pool has no domain of its own. The HTTP server in front of it is
local.stack.api_server.
"""

import base64
import json
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from local.harness import template
from local.harness.events import api_event
from local.stack.cognito import TokenEndpoint, TokenVerifier
from local.stack.instances import FunctionPool

TOKEN_PATH = "/oauth2/token"  # noqa: S105 (a path)


@dataclass(frozen=True)
class CompiledRoute:
    route: template.Route
    pattern: re.Pattern[str]
    literal_segments: int


def _compile(route: template.Route) -> CompiledRoute:
    parts = []
    literal = 0
    for segment in route.path.strip("/").split("/"):
        if segment.startswith("{") and segment.endswith("+}"):
            parts.append(f"(?P<{segment[1:-2]}>.+)")
        elif segment.startswith("{") and segment.endswith("}"):
            parts.append(f"(?P<{segment[1:-1]}>[^/]+)")
        else:
            parts.append(re.escape(segment))
            literal += 1
    return CompiledRoute(route, re.compile("^/" + "/".join(parts) + "/?$"), literal)


@dataclass(frozen=True)
class GatewayResult:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


class LocalApiGateway:
    """Matches requests to template routes and invokes the functions behind them."""

    def __init__(
        self,
        pools: Mapping[str, FunctionPool],
        stage: str,
        verifiers: Mapping[str, TokenVerifier],
        token_endpoint: TokenEndpoint | None = None,
    ) -> None:
        self._pools = pools
        self._stage = stage
        self._verifiers = verifiers
        self._token_endpoint = token_endpoint
        # As in API Gateway, a literal segment wins over a path parameter.
        # and a declared method wins over ANY on the same resource.
        self._routes = sorted(
            (_compile(r) for r in template.routes()),
            key=lambda c: (-c.literal_segments, c.route.method == "ANY"),
        )
        self._missing = template.gateway_response("MISSING_AUTHENTICATION_TOKEN")
        self._unauthorized = template.gateway_response("UNAUTHORIZED")

    def match(self, method: str, path: str) -> tuple[template.Route, dict[str, str]] | None:
        for compiled in self._routes:
            found = compiled.pattern.match(path)
            if found and compiled.route.method in (method, "ANY"):
                return compiled.route, {k: unquote(v) for k, v in found.groupdict().items()}
        return None

    def handle(
        self, method: str, target: str, headers: list[tuple[str, str]], body: bytes
    ) -> GatewayResult:
        url = urlsplit(target)
        path = unquote(url.path) or "/"
        if self._token_endpoint is not None and url.path == TOKEN_PATH and method == "POST":
            status, answer = self._token_endpoint.handle(headers, body)
            return GatewayResult(
                status=status,
                headers=[("Content-Type", "application/json"), ("Cache-Control", "no-store")],
                body=json.dumps(answer).encode(),
            )
        matched = self.match(method, url.path or "/")
        if matched is None:
            return _gateway_answer(self._missing)
        route, parameters = matched
        claims = None
        if route.user_pool is not None:
            authorization = next(
                (value for name, value in headers if name.lower() == "authorization"), None
            )
            claims = self._verifiers[route.user_pool].claims(authorization, route.scopes)
            if claims is None:
                return _gateway_answer(self._unauthorized)
        multi_headers: dict[str, list[str]] = {}
        for name, value in headers:
            multi_headers.setdefault(name, []).append(value)
        query = parse_qs(url.query, keep_blank_values=True)
        event = api_event(
            method,
            route.path,
            path_parameters=parameters,
            query=query,
            headers=multi_headers,
            body=body if body else None,
            stage=self._stage,
            claims=claims,
        )
        # Served at the root, as on a custom domain: no stage prefix in the request's path.
        event["path"] = path
        event["requestContext"]["path"] = path
        try:
            response: dict[str, Any] = self._pools[route.function].invoke(event)
        except Exception as error:  # the function crashed: API Gateway answers 502
            print(f"{route.function} failed: {error!r}", file=sys.stderr, flush=True)
            return GatewayResult(
                status=502,
                headers=[("Content-Type", "application/json")],
                body=b'{"message": "Internal server error"}',
            )
        return _to_http(response)


def _gateway_answer(response: template.GatewayResponse) -> GatewayResult:
    return GatewayResult(
        status=response.status,
        headers=[("Content-Type", "application/json")],
        body=response.body.encode(),
    )


def _to_http(response: Mapping[str, Any]) -> GatewayResult:
    headers: list[tuple[str, str]] = []
    single = response.get("headers") or {}
    multi = response.get("multiValueHeaders") or {}
    for name, value in single.items():
        if name not in multi:
            headers.append((name, str(value)))
    for name, values in multi.items():
        headers.extend((name, str(v)) for v in values)
    raw = response.get("body") or ""
    body = base64.b64decode(raw) if response.get("isBase64Encoded") else str(raw).encode()
    return GatewayResult(status=int(response.get("statusCode", 200)), headers=headers, body=body)
