"""What an API request must be before the router sees it: on the route API Gateway matched,
with a body that is a JSON object.

Powertools routes on the request path and parses the body itself; both would let hostile input
through (a decoded `%2F` that spells another route, an id with a trailing newline that `$`
accepts, a JSON array whose first element it would take, a body nested deep enough to exhaust
the parser's recursion). These checks run first, for every API function.
"""

import base64
import json
import re
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from aws_lambda_powertools.event_handler import content_types

from advisor_book.errors import InvalidBodyError, UnsupportedMediaTypeError
from advisor_book.models import ErrorBody


def routed_path(event: dict[str, Any]) -> str:
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


def printable(text: str) -> str:
    """A path (or method) safe to echo in a message: anything but printable ASCII
    percent-encoded."""
    return quote(text, safe="/!$&'()*+,;=:@-._~")


def check_body(event: dict[str, Any]) -> None:
    """UnsupportedMediaTypeError for a body that is not JSON by its media type (compared
    case-insensitively, as media types are; the event is given the lower-case form Powertools
    expects); InvalidBodyError for one that is not a JSON object or too deep to parse."""
    media_type = _normalize_content_type(event)
    body = event.get("body")
    if not body:
        return
    if media_type and media_type != content_types.APPLICATION_JSON:
        raise UnsupportedMediaTypeError("the body must be application/json")
    try:
        raw = base64.b64decode(body) if event.get("isBase64Encoded") else str(body).encode()
        document = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return  # Powertools answers undecodable and malformed JSON with its details
    except ValueError as error:  # base64 that does not decode, an integer of 5,000 digits
        raise InvalidBodyError("the body is not valid JSON", "json_invalid") from error
    except RecursionError as error:
        raise InvalidBodyError("the body is nested too deeply", "json_invalid") from error
    if not isinstance(document, dict):
        raise InvalidBodyError("the body must be a JSON object", "model_attributes_type")


def _normalize_content_type(event: dict[str, Any]) -> str:
    """The request's media type, lower case ("" without one); the header itself is lowered."""
    headers = event.get("headers") or {}
    name = next((k for k in headers if str(k).lower() == "content-type"), None)
    if name is None:
        return ""
    normalized = str(headers[name]).strip().lower()
    event["headers"] = {**headers, name: normalized}
    multi = event.get("multiValueHeaders") or {}
    if name in multi:
        event["multiValueHeaders"] = {**multi, name: [normalized]}
    return normalized.split(";", 1)[0].strip()


def raw_response(status: HTTPStatus, body: ErrorBody) -> dict[str, Any]:
    """An error answered before the resolver runs, in the proxy response format."""
    return {
        "statusCode": status.value,
        "multiValueHeaders": {"Content-Type": [content_types.APPLICATION_JSON]},
        "body": body.model_dump_json(exclude_none=True),
        "isBase64Encoded": False,
    }
