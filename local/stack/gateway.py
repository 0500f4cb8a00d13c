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
here because the local pool has no domain of its own. Requests over the stage's throttling
(a token bucket with the template's rate and burst) get its THROTTLED response, and bodies of
the template's MinimumCompressionSize or more are gzip-compressed for callers that accept
it. The HTTP server in front of it is
local.stack.api_server.
"""

import base64
import gzip
import json
import re
import sys
import threading
import time
import uuid
from collections.abc import Callable, Mapping
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


class TokenBucket:
    """API Gateway's throttling of a stage: `burst` requests at once, refilled at `rate` a
    second."""

    def __init__(self, throttle: template.Throttle, clock: Callable[[], float]) -> None:
        self._throttle = throttle
        self._clock = clock
        self._tokens = float(throttle.burst)
        self._filled_at = clock()
        self._lock = threading.Lock()

    def take(self) -> bool:
        """Whether a request may pass now (it takes a token)."""
        with self._lock:
            now = self._clock()
            refill = (now - self._filled_at) * self._throttle.rate
            self._tokens = min(float(self._throttle.burst), self._tokens + refill)
            self._filled_at = now
            if self._tokens < 1:
                return False
            self._tokens -= 1
            return True


class LocalApiGateway:
    """Matches requests to template routes and invokes the functions behind them."""

    def __init__(
        self,
        pools: Mapping[str, FunctionPool],
        stage: str,
        verifiers: Mapping[str, TokenVerifier],
        refs: Mapping[str, str] | None = None,
        clock: Callable[[], float] = time.monotonic,
        token_endpoint: TokenEndpoint | None = None,
    ) -> None:
        """`refs` gives the template's parameters their local values (the CORS origins)."""
        self._pools = pools
        self._stage = stage
        self._verifiers = verifiers
        self._token_endpoint = token_endpoint
        self._refs = refs or {}
        throttle = template.stage_throttle()
        self._bucket = TokenBucket(throttle, clock) if throttle is not None else None
        self._compress_from = template.minimum_compression_size()
        # As in API Gateway, a literal segment wins over a path parameter.
        # and a declared method wins over ANY on the same resource.
        self._routes = sorted(
            (_compile(r) for r in template.routes()),
            key=lambda c: (-c.literal_segments, c.route.method == "ANY"),
        )

    def answer(self, kind: str) -> GatewayResult:
        """One of the template's gateway responses, as API Gateway would send it."""
        response = template.gateway_response(kind, self._refs)
        body = response.body.replace("$context.requestId", str(uuid.uuid4()))
        headers = [("Content-Type", "application/json"), *response.headers]
        return GatewayResult(status=response.status, headers=headers, body=body.encode())

    def match(self, method: str, path: str) -> tuple[template.Route, dict[str, str]] | None:
        for compiled in self._routes:
            found = compiled.pattern.match(path)
            if found and compiled.route.method in (method, "ANY"):
                return compiled.route, {k: unquote(v) for k, v in found.groupdict().items()}
        return None

    def handle(
        self, method: str, target: str, headers: list[tuple[str, str]], body: bytes
    ) -> GatewayResult:
        result = self._answer(method, target, headers, body)
        accepted = ",".join(value for name, value in headers if name.lower() == "accept-encoding")
        if self._compress_from is not None and len(result.body) >= self._compress_from:
            return _compressed(result, accepted)
        return result

    def _answer(
        self, method: str, target: str, headers: list[tuple[str, str]], body: bytes
    ) -> GatewayResult:
        if self._bucket is not None and not self._bucket.take():
            return self.answer("THROTTLED")
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
            return self.answer("MISSING_AUTHENTICATION_TOKEN")
        route, parameters = matched
        claims = None
        if route.user_pool is not None:
            authorization = next(
                (value for name, value in headers if name.lower() == "authorization"), None
            )
            claims = self._verifiers[route.user_pool].claims(authorization, route.scopes)
            if claims is None:
                return self.answer("UNAUTHORIZED")
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
            return self.answer("INTEGRATION_FAILURE")
        return _to_http(response)


def _accepts_gzip(accept_encoding: str) -> bool:
    for coding in accept_encoding.split(","):
        name, _, parameters = coding.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            return parameters.replace(" ", "").lower() not in ("q=0", "q=0.0", "q=0.00")
    return False


def _compressed(result: GatewayResult, accept_encoding: str) -> GatewayResult:
    """The answer gzip-compressed when the caller accepts it and it is not already encoded."""
    if not _accepts_gzip(accept_encoding) or any(
        name.lower() == "content-encoding" for name, _ in result.headers
    ):
        return result
    headers = [*result.headers, ("Content-Encoding", "gzip")]
    return GatewayResult(result.status, headers, gzip.compress(result.body, mtime=0))


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
