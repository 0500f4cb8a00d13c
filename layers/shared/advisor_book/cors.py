"""Which web pages may call the API from another origin (CORS), and the headers that say so.

The allowed origins come from the template's `CorsAllowedOrigins` parameter through the
`CORS_ALLOWED_ORIGINS` variable: empty for none (no CORS header at all), `*` for any, or a
comma-separated list of origins, where one ending in `:*` stands for every port of its host
(`http://localhost:*`). A response to an allowed origin echoes it; any other gets no CORS
header, and the browser keeps the answer from the page. API Gateway's own answers (401, 404,
413, 429, 5xx) carry `*` instead: the template's gateway responses cannot match a list.
"""

import os
from collections.abc import Iterable
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler.api_gateway import CORSConfig

VARIABLE = "CORS_ALLOWED_ORIGINS"
# Beyond Powertools' own (Authorization, Content-Type and AWS's signature headers).
ALLOWED_HEADERS = ["If-Match"]
EXPOSED_HEADERS = ["Allow", "ETag"]
# How long a browser may reuse a preflight's answer (Chromium keeps it two hours at most).
MAX_AGE_SECONDS = 600


class Cors(CORSConfig):
    """Powertools' CORS configuration, with origins allowed on any port and `Vary: Origin`
    on every answer that depends on the caller's origin."""

    def __init__(self, origins: list[str]) -> None:
        first, *others = origins
        super().__init__(
            allow_origin=first,
            extra_origins=others,
            allow_headers=ALLOWED_HEADERS,
            expose_headers=EXPOSED_HEADERS,
            max_age=MAX_AGE_SECONDS,
        )
        self.origins = origins
        self._any_port = tuple(origin[:-1] for origin in origins if origin.endswith(":*"))

    def allowed_origin(self, extracted_origin: str | None) -> str | None:
        """The Access-Control-Allow-Origin for a request from `extracted_origin`, or None."""
        if not extracted_origin:
            return None
        if "*" in self.origins:
            return "*"
        if extracted_origin in self.origins:
            return extracted_origin
        for host in self._any_port:
            port = extracted_origin.removeprefix(host)
            if port != extracted_origin and port.isdigit():
                return extracted_origin
        return None

    def to_dict(self, origin: str | None) -> dict[str, str]:
        """The CORS headers of an answer to `origin` (what `allowed_origin` returned)."""
        if not origin:
            return {}
        headers = {
            "Access-Control-Allow-Origin": origin,
            "Access-Control-Allow-Headers": ",".join(sorted(self.allow_headers)),
            "Access-Control-Expose-Headers": ",".join(self.expose_headers),
            "Access-Control-Max-Age": str(self.max_age),
        }
        if origin != "*":
            headers["Vary"] = "Origin"
        return headers


def from_environment() -> Cors | None:
    """The function's CORS configuration, None when no origin is allowed."""
    origins = [o.strip() for o in os.environ.get(VARIABLE, "").split(",") if o.strip()]
    return Cors(origins) if origins else None


def origin_of(event: dict[str, Any]) -> str | None:
    """The Origin header of an API Gateway proxy event, whatever its case."""
    for name, value in (event.get("headers") or {}).items():
        if name.lower() == "origin":
            return str(value)
    return None


def preflight(cors: Cors | None, event: dict[str, Any], methods: Iterable[str]) -> dict[str, Any]:
    """The answer to a browser's preflight (OPTIONS) for a resource that declares `methods`:
    204, with the CORS headers when the origin is allowed."""
    allowed = sorted({*methods, "OPTIONS"})
    headers = {"Allow": ", ".join(allowed)}
    origin = cors.allowed_origin(origin_of(event)) if cors is not None else None
    if cors is not None:
        headers["Vary"] = "Origin"
        if origin is not None:
            headers |= cors.to_dict(origin)
            headers["Access-Control-Allow-Methods"] = ",".join(allowed)
    return {"statusCode": HTTPStatus.NO_CONTENT.value, "headers": headers, "body": ""}
