"""The resolver every API function uses, and the one place that maps errors to HTTP.

Each failure becomes the contract's body `{"error": {"code", "message", "details"?}}`:
domain errors by type, Powertools' validation errors as 422 with their details, unknown routes
as 404, and anything unexpected as a 500 that names the request id and nothing internal.
"""

import base64
import json
import re
from http import HTTPStatus
from typing import Annotated, Any
from urllib.parse import quote

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import NotFoundError as RouteNotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from aws_lambda_powertools.utilities.typing import LambdaContext

from advisor_book import auth
from advisor_book.errors import (
    AdvisorUnavailableError,
    BadCursorError,
    ConflictError,
    DomainError,
    ForbiddenError,
    NotAuthenticatedError,
    NotFoundError,
)
from advisor_book.models import ErrorBody, ErrorCode, ErrorDetail

_STATUS_OF: dict[type[DomainError], tuple[HTTPStatus, ErrorCode]] = {
    NotFoundError: (HTTPStatus.NOT_FOUND, "not_found"),
    AdvisorUnavailableError: (HTTPStatus.CONFLICT, "conflict"),
    ConflictError: (HTTPStatus.CONFLICT, "conflict"),
    BadCursorError: (HTTPStatus.BAD_REQUEST, "bad_request"),
    NotAuthenticatedError: (HTTPStatus.UNAUTHORIZED, "unauthorized"),
    ForbiddenError: (HTTPStatus.FORBIDDEN, "forbidden"),
}


# Query parameters every paginated listing takes.
PageLimit = Annotated[int, Query(ge=1, le=100, description="Page size, 1 to 100.")]
NextToken = Annotated[
    str | None, Query(max_length=2048, description="The next_token of the previous page.")
]


_ERROR_DESCRIPTIONS = {
    400: "Bad request: next_token was altered or belongs to another listing or caller.",
    401: "Unauthorized: no ID token, or one that is invalid or expired.",
    403: "Forbidden: the operation is for administrators, or the user has no role.",
    404: "Not found: the message names the advisor, client, import or route.",
    409: "Conflict: the advisor is full or not accepting new clients, or concurrent changes "
    "kept winning (retry).",
    415: "Unsupported media type: the body must be application/json.",
    422: "Validation error: `details` names each invalid parameter or body field.",
    500: "Unexpected error: the message carries the request id, and nothing internal.",
}


def documented(success: str, *errors: int, status: int = 200) -> dict[int, OpenAPIResponse]:
    """A route's documented responses: its success (described by its return type, or with no
    body for 204) and its errors: 401, 403, 404, 422 and 500 always, plus `errors`."""
    responses: dict[int, OpenAPIResponse] = {
        status: {"description": success, "content": {}}
        if status == 204
        else {"description": success}
    }
    for code in sorted({401, 403, 404, 422, 500, *errors}):
        responses[code] = {
            "description": _ERROR_DESCRIPTIONS[code],
            "content": {"application/json": {"model": ErrorBody}},
        }
    return responses


def error_response(
    status: HTTPStatus, code: ErrorCode, message: str, details: list[dict[str, Any]] | None = None
) -> Response[str]:
    body = ErrorBody(error=ErrorDetail(code=code, message=message, details=details))
    return Response(
        status_code=status.value,
        content_type=content_types.APPLICATION_JSON,
        body=body.model_dump_json(exclude_none=True),
    )


def _validation_details(error: RequestValidationError) -> list[dict[str, Any]]:
    """Where and what, never the rejected input itself (it may hold client data)."""
    return [
        {
            "location": [str(part) for part in item["loc"]],
            "message": item["msg"],
            "type": item["type"],
        }
        for item in error.errors()
    ]


def create_app(logger: Logger, *, validation: bool = True) -> APIGatewayRestResolver:
    """An APIGatewayRestResolver with the contract's error bodies, and request and response
    validation unless `validation` is false (for routes that take no input)."""
    app = APIGatewayRestResolver(enable_validation=validation)

    @app.exception_handler(DomainError)
    def domain_error(error: DomainError) -> Response[str]:
        status, code = _STATUS_OF.get(type(error), (HTTPStatus.BAD_REQUEST, "bad_request"))
        return error_response(status, code, error.message)

    @app.exception_handler(RequestValidationError)
    def invalid_request(error: RequestValidationError) -> Response[str]:
        return error_response(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            "validation_error",
            "the request is not valid",
            _validation_details(error),
        )

    @app.exception_handler(UnicodeDecodeError)
    def undecodable_body(_: UnicodeDecodeError) -> Response[str]:
        return error_response(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            "validation_error",
            "the request is not valid",
            [
                {
                    "location": ["body"],
                    "message": "the body is not UTF-8 text",
                    "type": "json_invalid",
                }
            ],
        )

    @app.not_found
    def unknown_route(_: RouteNotFoundError) -> Response[str]:
        event = app.current_event
        return error_response(
            HTTPStatus.NOT_FOUND,
            "not_found",
            f"no route for {printable(event.http_method)} {printable(event.path)}",
        )

    @app.exception_handler(Exception)
    def unexpected(error: Exception) -> Response[str]:
        request_id = app.current_event.request_context.request_id
        logger.exception("unexpected error", extra={"request_id": request_id})
        return error_response(
            HTTPStatus.INTERNAL_SERVER_ERROR,
            "internal_error",
            f"an unexpected error occurred; request id {request_id}",
        )

    return app


def resolve(
    app: APIGatewayRestResolver,
    event: dict[str, Any],
    context: LambdaContext,
    *,
    public: bool = False,
) -> dict[str, Any]:
    """Serve one API Gateway event.

    The router runs the route API Gateway matched (`resource`), never another one the decoded
    path might spell, so the caller is authorized for the route that runs: 401 without token
    claims, 403 when their role may not call it (unless the route is `public`); routes read
    the caller with `caller(app)`. A body that is not application/json is then refused with
    415, and one that is not a JSON object with 422, before Powertools parses it."""
    event = {**event, "path": _routed_path(event)}
    who = None
    if not public:
        try:
            who = auth.authorize(event)
        except DomainError as error:
            status, code = _STATUS_OF[type(error)]
            return _raw_error(status, code, error.message)
    refusal = _refuse_body(event)
    if refusal is not None:
        return refusal
    # Set only now: the resolver clears its context when it is done, and only then.
    app.append_context(caller=who)  # type: ignore[no-untyped-call]
    response: dict[str, Any] = app.resolve(event, context)
    return response


def _routed_path(event: dict[str, Any]) -> str:
    """The path of the route API Gateway matched, its parameters filled in percent-encoded.

    API Gateway decodes path parameters, so `/clients/a%2Fassignments` is the client route
    with the id "a/assignments"; routed on the decoded path, it would run the history route
    instead. Re-encoded, the id reaches its validation whole (a 422), as does one ending in a
    control character that a `$` would let through."""
    resource = event.get("resource")
    if not isinstance(resource, str) or not resource:
        return printable(str(event.get("path") or "/"))
    parameters = event.get("pathParameters") or {}
    return re.sub(
        r"\{(\w+)\+?\}",
        lambda name: quote(str(parameters.get(name.group(1), "")), safe=""),
        resource,
    )


def printable(path: str) -> str:
    """A path safe to echo in a message: anything but printable ASCII percent-encoded."""
    return quote(path, safe="/!$&'()*+,;=:@-._~")


def _refuse_body(event: dict[str, Any]) -> dict[str, Any] | None:
    """415 for a body that is not JSON by its media type (compared case-insensitively, as
    media types are; the event is given the lower-case form Powertools expects); 422 for one
    that is not a JSON object, or nested too deeply to parse."""
    headers = event.get("headers") or {}
    name = next((k for k in headers if str(k).lower() == "content-type"), None)
    media_type = ""
    if name is not None:
        normalized = str(headers[name]).strip().lower()
        media_type = normalized.split(";", 1)[0].strip()
        event["headers"] = {**headers, name: normalized}
        multi = event.get("multiValueHeaders") or {}
        if name in multi:
            event["multiValueHeaders"] = {**multi, name: [normalized]}
    body = event.get("body")
    if not body:
        return None
    if media_type and media_type != content_types.APPLICATION_JSON:
        return _raw_error(
            HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "the body must be application/json",
        )
    try:
        raw = base64.b64decode(body) if event.get("isBase64Encoded") else str(body).encode()
        document = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None  # Powertools answers undecodable and malformed JSON with its details
    except ValueError:  # base64 that does not decode, an integer of thousands of digits
        return _invalid_body("the body is not valid JSON", "json_invalid")
    except RecursionError:
        return _invalid_body("the body is nested too deeply", "json_invalid")
    if not isinstance(document, dict):
        return _invalid_body("the body must be a JSON object", "model_attributes_type")
    return None


def _invalid_body(message: str, kind: str) -> dict[str, Any]:
    body = ErrorBody(
        error=ErrorDetail(
            code="validation_error",
            message="the request is not valid",
            details=[{"location": ["body"], "message": message, "type": kind}],
        )
    )
    return _raw_response(HTTPStatus.UNPROCESSABLE_ENTITY, body)


def caller(app: APIGatewayRestResolver) -> auth.Caller:
    """The authorized caller of the request being served."""
    current: auth.Caller = app.context["caller"]
    return current


def _raw_error(status: HTTPStatus, code: ErrorCode, message: str) -> dict[str, Any]:
    """An error answered before the resolver runs, in the proxy response format."""
    return _raw_response(status, ErrorBody(error=ErrorDetail(code=code, message=message)))


def _raw_response(status: HTTPStatus, body: ErrorBody) -> dict[str, Any]:
    return {
        "statusCode": status.value,
        "multiValueHeaders": {"Content-Type": [content_types.APPLICATION_JSON]},
        "body": body.model_dump_json(exclude_none=True),
        "isBase64Encoded": False,
    }
