"""The API's public routes: GET /openapi.json, GET /swagger and GET /health, the CORS
preflights, and the 405 of undeclared methods.

Serves the OpenAPI document generated from the functions' routes and models (committed beside
this file and checked for drift by the tests) and a Swagger UI page with its script and styles
inlined, so it renders without reaching any other host. The template also sends it every
method a documented resource does not declare: OPTIONS, a browser's preflight, is answered
with the CORS headers and the resource's methods, any other with 405 and an Allow header, both
read from the same document. No AWS access at all, which keeps the health check free.
"""

import advisor_book.coldstart as coldstart  # first: no garbage collection during init

import json
from functools import cache
from http import HTTPStatus
from pathlib import Path
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.exceptions import NotFoundError as RouteNotFoundError
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from advisor_book import cors
from advisor_book.admission import printable
from advisor_book.auth import PUBLIC
from advisor_book.http import create_app, error_response, error_responses, resolve
from advisor_book.models import Health

DOCUMENT = Path(__file__).with_name("openapi.json")

logger = Logger()
metrics = Metrics()
# Public: the documents are, and a 405 tells only what the OpenAPI document says.
app = create_app(logger, validation=False, default_access=PUBLIC)


def _base_path() -> str:
    """Where the API is mounted for this request: "/<stage>" on an execute-api URL, "" on a
    custom domain or locally (the part of the request path before the route's own path)."""
    event = app.current_event
    full = event.request_context.path or event.path
    return full[: len(full) - len(event.path)] if full.endswith(event.path) else ""


def _document() -> str:
    document: dict[str, Any] = json.loads(DOCUMENT.read_text())
    document["servers"] = [{"url": _base_path() or "/"}]
    return json.dumps(document)


@cache
def _swagger_assets() -> tuple[str, str]:
    from aws_lambda_powertools.event_handler.openapi import swagger_ui

    folder = Path(swagger_ui.__file__).parent
    return (
        (folder / "swagger-ui-bundle.min.js").read_text(encoding="utf-8"),
        (folder / "swagger-ui.min.css").read_text(encoding="utf-8"),
    )


@app.operation("GET", "/openapi.json", access=PUBLIC, include_in_schema=False)
def openapi_document() -> Response[str]:
    return Response(status_code=200, content_type=content_types.APPLICATION_JSON, body=_document())


@app.operation("GET", "/swagger", access=PUBLIC, include_in_schema=False)
def swagger() -> Response[str]:
    if (app.current_event.query_string_parameters or {}).get("format") == "json":
        return openapi_document()  # the page links to it as /swagger?format=json
    from aws_lambda_powertools.event_handler.openapi.swagger_ui.html import generate_swagger_html

    script, styles = _swagger_assets()
    # "</" is escaped so the document cannot close the <script> element it is embedded in.
    html = generate_swagger_html(_document().replace("</", "<\\/"), script, styles, "", None)
    return Response(status_code=200, content_type="text/html; charset=utf-8", body=html)


@app.operation(
    "GET",
    "/health",
    access=PUBLIC,
    tags=["Health"],
    summary="Check that the API answers",
    description="Public and free: it proves API Gateway reaches a function and the shared "
    "layer loads, without reading the table or anything else.",
    responses={
        200: {
            "description": "The API answers.",
            "content": {"application/json": {"model": Health}},
        },
        **error_responses(429, 500),
    },
)
def get_health() -> Response[str]:
    return Response(
        status_code=200,
        content_type=content_types.APPLICATION_JSON,
        body=Health(status="ok").model_dump_json(),
    )


ALLOWED_METHODS = {
    path: sorted(method.upper() for method in operations)
    for path, operations in json.loads(DOCUMENT.read_text())["paths"].items()
}


def _methods_of(resource: str) -> list[str]:
    """The methods a resource declares: in the document, or this function's own."""
    return ALLOWED_METHODS.get(resource) or [m for m, path in app.access if path == resource]


@app.not_found
def method_not_allowed(_: RouteNotFoundError) -> Response[str]:
    """The template routes every undeclared method of a documented resource here."""
    event = app.current_event
    allowed = ALLOWED_METHODS.get(event.resource)
    if allowed is None:
        return error_response(
            HTTPStatus.NOT_FOUND,
            "not_found",
            f"no route for {printable(event.http_method)} {printable(event.path)}",
        )
    response = error_response(
        HTTPStatus.METHOD_NOT_ALLOWED,
        "method_not_allowed",
        f"{printable(event.http_method)} is not allowed here; use {', '.join(allowed)}",
    )
    response.headers["Allow"] = ", ".join(allowed)
    return response


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    if event.get("httpMethod") == "OPTIONS":
        return cors.preflight(app.cors_config, event, _methods_of(event["resource"]))
    return resolve(app, event, context)


coldstart.ready()
