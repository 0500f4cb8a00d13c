"""A local stand-in for API Gateway's REST API with Lambda proxy integrations: routing, the
Lambda authorizer, and the proxy event and response.

Routes come from template.yaml. Each HTTP request becomes the proxy event API Gateway would
send (resource, path parameters, single and multi-value headers and query strings, body and
base64 flag, request context), goes to the function the template maps the route to, and the
function's response goes back with its status, headers and body. A route behind the template's
Lambda TOKEN authorizer first goes, as in API Gateway, through the authorizer function itself
(`Authorizers`): without the header, or when the authorizer fails with "Unauthorized", the
gateway answers the template's UNAUTHORIZED response (401); a policy that does not allow the
method gets ACCESS_DENIED (403), any other failure AUTHORIZER_FAILURE (500). An answer is
cached per token for the authorizer's ReauthorizeEvery seconds, and its context reaches the
function as `requestContext.authorizer`.
`POST /oauth2/token` is the user pool domain's token endpoint (local.stack.cognito), served
here because the local pool has no domain of its own. Requests over the stage's throttling
(a token bucket with the template's rate and burst) get its THROTTLED response, and bodies of
the template's MinimumCompressionSize or more are gzip-compressed for callers that accept
it. The HTTP server in front of it is local.stack.api_server.
"""

import base64
import fnmatch
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

from local.harness import api_settings, template
from local.harness.events import api_event, method_arn, request_authorizer
from local.stack.cognito import TokenEndpoint
from local.stack.instances import FunctionPool, InvocationError

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

    def __init__(self, throttle: api_settings.Throttle, clock: Callable[[], float]) -> None:
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


@dataclass(frozen=True)
class _Answer:
    """An authorizer's answer to one token, kept until `until` (the gateway's clock)."""

    policy: dict[str, Any]
    authorizer: dict[str, str]  # requestContext.authorizer of the requests it lets through
    until: float


class Authorizers:
    """API Gateway's Lambda TOKEN authorizers: each one's function called with the token and
    the method's ARN, its answer cached per token for its ReauthorizeEvery seconds (refusals
    are not cached), and its policy deciding each method the token calls."""

    def __init__(
        self, pools: Mapping[str, FunctionPool], stage: str, clock: Callable[[], float]
    ) -> None:
        self._pools = pools
        self._stage = stage
        self._clock = clock
        self._cache: dict[tuple[str, str], _Answer] = {}
        self._lock = threading.Lock()

    def decide(
        self, name: str, headers: list[tuple[str, str]], method: str, path: str
    ) -> dict[str, str] | str:
        """`requestContext.authorizer` for a request the authorizer `name` lets through, else
        the gateway response that refuses it."""
        authorizer = template.authorizer(name)
        token = next((v for k, v in headers if k.lower() == authorizer.header.lower()), "")
        if not token:
            return "UNAUTHORIZED"  # API Gateway does not call the authorizer without one
        arn = method_arn(method, f"/{self._stage}{path}")
        with self._lock:
            answer = self._cache.get((name, token))
        if answer is None or answer.until <= self._clock():
            try:
                answer = self._ask(authorizer, token, arn)
            except InvocationError as error:
                if error.error_message == "Unauthorized":
                    return "UNAUTHORIZED"
                print(f"{authorizer.function} failed: {error}", file=sys.stderr, flush=True)
                return "AUTHORIZER_FAILURE"
            except (KeyError, TypeError, ValueError) as error:
                print(f"{authorizer.function}: no answer API Gateway takes: {error!r}", flush=True)
                return "AUTHORIZER_FAILURE"
            with self._lock:
                self._cache[(name, token)] = answer
        return answer.authorizer if _allows(answer.policy, arn) else "ACCESS_DENIED"

    def _ask(self, authorizer: template.Authorizer, token: str, arn: str) -> _Answer:
        event = {"type": "TOKEN", "authorizationToken": token, "methodArn": arn}
        response = self._pools[authorizer.function].invoke(event)
        if not isinstance(response, dict) or not isinstance(response["policyDocument"], dict):
            raise TypeError(f"{type(response).__name__}, not a principal and a policy")
        return _Answer(
            policy=response["policyDocument"],
            authorizer=request_authorizer(response),
            until=self._clock() + authorizer.reauthorize_every,
        )


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _allows(policy: Mapping[str, Any], arn: str) -> bool:
    """Whether an IAM policy lets `execute-api:Invoke` the method `arn`: an Allow statement
    matches it and no Deny does (`*` and `?` as IAM reads them)."""

    def matches(statement: Mapping[str, Any]) -> bool:
        actions = _listed(statement.get("Action", []))
        resources = _listed(statement.get("Resource", []))
        return any(fnmatch.fnmatchcase("execute-api:Invoke", a) for a in actions) and any(
            fnmatch.fnmatchcase(arn, r) for r in resources if isinstance(r, str)
        )

    statements = [s for s in _listed(policy.get("Statement", [])) if isinstance(s, dict)]
    if any(s.get("Effect") == "Deny" and matches(s) for s in statements):
        return False
    return any(s.get("Effect") == "Allow" and matches(s) for s in statements)


class LocalApiGateway:
    """Matches requests to template routes and invokes the functions behind them."""

    def __init__(
        self,
        pools: Mapping[str, FunctionPool],
        stage: str,
        refs: Mapping[str, str] | None = None,
        clock: Callable[[], float] = time.monotonic,
        token_endpoint: TokenEndpoint | None = None,
    ) -> None:
        """`refs` gives the template's parameters their local values (the CORS origins)."""
        self._pools = pools
        self._stage = stage
        self._authorizers = Authorizers(pools, stage, clock)
        self._token_endpoint = token_endpoint
        self._refs = refs or {}
        throttle = api_settings.stage_throttle()
        self._bucket = TokenBucket(throttle, clock) if throttle is not None else None
        self._compress_from = api_settings.minimum_compression_size()
        # As in API Gateway, a literal segment wins over a path parameter.
        # and a declared method wins over ANY on the same resource.
        self._routes = sorted(
            (_compile(r) for r in template.routes()),
            key=lambda c: (-c.literal_segments, c.route.method == "ANY"),
        )

    def answer(self, kind: str) -> GatewayResult:
        """One of the template's gateway responses, as API Gateway would send it."""
        response = api_settings.gateway_response(kind, self._refs)
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
        authorizer = None
        if route.authorizer is not None:
            decided = self._authorizers.decide(route.authorizer, headers, method, path)
            if isinstance(decided, str):
                return self.answer(decided)
            authorizer = decided
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
            authorizer=authorizer,
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
