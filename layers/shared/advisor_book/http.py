"""The resolver every API function uses, and the one place that maps errors to HTTP.

Each route is declared with who may call it (`auth.Access`) and gets its operationId from its
function's name. Each failure becomes the contract's body `{"error": {"code", "message",
"details"?}}`: domain errors by type, Powertools' validation errors as 422 with their details,
unknown routes as 404, and anything unexpected as a 500 that names the request id and nothing
internal.
"""

from collections.abc import Callable
from http import HTTPStatus
from typing import Annotated, Any, TypeVar

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import NotFoundError as RouteNotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.openapi.types import (
    OpenAPIResponse,
    OpenAPIResponseHeader,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from advisor_book import admission, auth, cors
from advisor_book.errors import (
    AdvisorUnavailableError,
    BadCursorError,
    ConflictError,
    DomainError,
    ForbiddenError,
    InvalidBodyError,
    InvalidQueryError,
    InvalidRequestError,
    NotAuthenticatedError,
    NotFoundError,
    PreconditionFailedError,
    UnsupportedMediaTypeError,
)
from advisor_book.models import ID_PATTERN, ErrorBody, ErrorCode, ErrorDetail

_STATUS_OF: dict[type[DomainError], tuple[HTTPStatus, ErrorCode]] = {
    NotFoundError: (HTTPStatus.NOT_FOUND, "not_found"),
    AdvisorUnavailableError: (HTTPStatus.CONFLICT, "conflict"),
    ConflictError: (HTTPStatus.CONFLICT, "conflict"),
    PreconditionFailedError: (HTTPStatus.PRECONDITION_FAILED, "precondition_failed"),
    BadCursorError: (HTTPStatus.BAD_REQUEST, "bad_request"),
    NotAuthenticatedError: (HTTPStatus.UNAUTHORIZED, "unauthorized"),
    ForbiddenError: (HTTPStatus.FORBIDDEN, "forbidden"),
    UnsupportedMediaTypeError: (HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
    InvalidBodyError: (HTTPStatus.UNPROCESSABLE_ENTITY, "validation_error"),
    InvalidQueryError: (HTTPStatus.UNPROCESSABLE_ENTITY, "validation_error"),
}
Handler = TypeVar("Handler", bound=Callable[..., Any])


# Path parameters; their examples name records of data.json and make the sample events.
AdvisorId = Annotated[
    str, Path(pattern=ID_PATTERN, description="The advisor's id.", examples=["adv-001"])
]
ClientId = Annotated[
    str, Path(pattern=ID_PATTERN, description="The client's id.", examples=["cli-0001"])
]
ImportId = Annotated[
    str,
    Path(
        pattern=r"^imp-[0-9a-f]{24}$",
        description="The import's id.",
        examples=["imp-000000000000000000000000"],
    ),
]

# Query parameters every paginated listing takes.
PageLimit = Annotated[int, Query(ge=1, le=100, description="Page size, 1 to 100.")]
NextToken = Annotated[
    str | None, Query(max_length=2048, description="The next_token of the previous page.")
]


_ERROR_DESCRIPTIONS = {
    400: "Bad request: next_token was altered or belongs to another listing or caller.",
    401: "Unauthorized: no token, or one the API does not take (invalid, expired, or of "
    "another app client).",
    403: "Forbidden: the operation is for administrators, or the user has no role.",
    404: "Not found: the message names the advisor, client, import or route.",
    413: "Request too large: over 10 MB of body, or 10 KB of request line and headers "
    "(answered by API Gateway).",
    409: "Conflict: the advisor is full or not accepting new clients, or concurrent changes "
    "kept winning (retry).",
    412: "Precondition failed: the client's assignment changed since the state the request "
    "expects (If-Match or expected_advisor_id); read the client again.",
    415: "Unsupported media type: the body must be application/json.",
    422: "Validation error: `details` names each invalid parameter or body field.",
    429: "Throttled: over the stage's request rate; retry later (answered by API Gateway).",
    500: "Unexpected error: the message carries the request id, and nothing internal.",
}


def documented(
    success: str,
    *errors: int,
    status: int = 200,
    headers: dict[str, OpenAPIResponseHeader] | None = None,
) -> dict[int, OpenAPIResponse]:
    """A route's documented responses: its success (described by its return type, or with no
    body for 204; with its `headers`) and its errors: 401, 403, 404, 413, 422, 429 and 500
    always, plus `errors`."""
    ok: OpenAPIResponse = {"description": success}
    if status == 204:
        ok["content"] = {}
    if headers:
        ok["headers"] = headers
    return {status: ok} | error_responses(401, 403, 404, 413, 422, 429, 500, *errors)


def error_responses(*codes: int) -> dict[int, OpenAPIResponse]:
    """The documented error responses of `codes`, each with the contract's error body."""
    return {
        code: {
            "description": _ERROR_DESCRIPTIONS[code],
            "content": {"application/json": {"model": ErrorBody}},
        }
        for code in sorted(set(codes))
    }


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


class BookResolver(APIGatewayRestResolver):
    """Powertools' REST resolver, with each route declared together with who may call it."""

    def __init__(
        self, *, validation: bool, default_access: auth.Access, cors_config: cors.Cors | None
    ) -> None:
        super().__init__(enable_validation=validation, cors=cors_config)
        self.cors_config = cors_config
        self.access: dict[tuple[str, str], auth.Access] = {}
        self.default_access = default_access  # of a request no declared route matches

    def operation(
        self, method: str, rule: str, *, access: auth.Access, **options: Any
    ) -> Callable[[Handler], Handler]:
        """Declare a route: `method` `rule` ("/clients/<client_id>"), callable by `access`,
        its operationId its function's name in camelCase. `options` are Powertools' (summary,
        responses, tags...)."""
        resource = rule.replace("<", "{").replace(">", "}")
        self.access[(method, resource)] = access

        def register(handler: Handler) -> Handler:
            first, *rest = handler.__name__.split("_")
            declared = self.route(
                rule,
                method,
                operation_id=first + "".join(word.capitalize() for word in rest),
                openapi_extensions={"x-access": access.describe()},
                **options,
            )
            declared(handler)
            return handler

        return register


def create_app(
    logger: Logger, *, validation: bool = True, default_access: auth.Access = auth.ADMINS_ONLY
) -> BookResolver:
    """A resolver with the contract's error bodies, the CORS headers of the origins the
    environment allows, and request and response validation unless `validation` is false (for
    routes that take no input)."""
    app = BookResolver(
        validation=validation, default_access=default_access, cors_config=cors.from_environment()
    )
    _map_errors(app, logger)
    return app


def _map_errors(app: BookResolver, logger: Logger) -> None:
    """Register the handlers that turn every failure into the contract's error body."""

    @app.exception_handler(DomainError)
    def domain_error(error: DomainError) -> Response[str]:
        status, code = _STATUS_OF.get(type(error), (HTTPStatus.BAD_REQUEST, "bad_request"))
        body = _error_body(code, error)
        return Response(
            status_code=status.value,
            content_type=content_types.APPLICATION_JSON,
            body=body.model_dump_json(exclude_none=True),
        )

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
            f"no route for {admission.printable(event.http_method)} "
            f"{admission.printable(event.path)}",
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


def resolve(app: "BookResolver", event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Serve one API Gateway event.

    The router runs the route API Gateway matched (`resource`), never another one the decoded
    path might spell, so the caller is authorized for the route that runs, as the route
    declares (`auth.Access`): 401 without token claims, 403 when their role may not call it;
    routes read the caller with `caller(app)`. The body is then admitted or refused (415, 422)
    before Powertools parses it."""
    event = {**event, "path": admission.routed_path(event)}
    route = (str(event.get("httpMethod", "")).upper(), str(event.get("resource", "")))
    try:
        who = auth.authorize(event, app.access.get(route, app.default_access))
        admission.check_body(event)
    except DomainError as error:
        status, code = _STATUS_OF[type(error)]
        return _vary_by_origin(app, event, admission.raw_response(status, _error_body(code, error)))
    # Set only now: the resolver clears its context when it is done, and only then.
    app.append_context(caller=who)  # type: ignore[no-untyped-call]
    response: dict[str, Any] = app.resolve(event, context)
    return _vary_by_origin(app, event, response)


def _vary_by_origin(
    app: BookResolver, event: dict[str, Any], response: dict[str, Any]
) -> dict[str, Any]:
    """Every answer, the refusals made before the router included, carries the CORS headers
    of an allowed origin and, whenever CORS is on, `Vary: Origin`: a cache must never hand one
    origin's answer to another."""
    if app.cors_config is None:
        return response
    headers: dict[str, list[str]] = response.setdefault("multiValueHeaders", {})
    if "Access-Control-Allow-Origin" not in headers:
        origin = app.cors_config.allowed_origin(cors.origin_of(event))
        for name, value in app.cors_config.to_dict(origin).items():
            headers[name] = [value]
    headers["Vary"] = ["Origin"]
    return response


def caller(app: APIGatewayRestResolver) -> auth.Caller:
    """The authorized caller of the request being served."""
    current: auth.Caller = app.context["caller"]
    return current


def _error_body(code: ErrorCode, error: DomainError) -> ErrorBody:
    details = error.details if isinstance(error, InvalidRequestError) else None
    return ErrorBody(error=ErrorDetail(code=code, message=error.message, details=details))
