"""A page on another origin calling the local stack over HTTP: preflights without a token, the
CORS headers on the functions' answers and on the gateway's own, gzip, and the health check.
`make run` allows pages served from this machine on any port (LOCAL_CORS_ORIGINS)."""

import gzip
import http.client
import json
from urllib.parse import urlsplit

import pytest

from local.harness import template
from local.stack.api_server import MAX_HEADER_BYTES
from tests.e2e.conftest import REQUEST_TIMEOUT, LocalStack
from tests.e2e.test_http import exchange, head

PAGE = "http://127.0.0.1:8765"  # another origin than the API's: another port


def send(
    stack: LocalStack, method: str, path: str, headers: dict[str, str]
) -> tuple[int, dict[str, str], bytes]:
    """One request with exactly these headers (no Accept-Encoding unless given)."""
    address = urlsplit(stack.api_url)
    connection = http.client.HTTPConnection(
        address.hostname or "", address.port, timeout=REQUEST_TIMEOUT
    )
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def preflight(
    stack: LocalStack, path: str, origin: str, method: str = "GET"
) -> tuple[int, dict[str, str]]:
    status, headers, _ = send(
        stack,
        "OPTIONS",
        path,
        {
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "authorization,content-type,if-match",
        },
    )
    return status, headers


RESOURCES = sorted(
    {
        r.path.replace("{advisor_id}", "adv-001")
        .replace("{client_id}", "cli-0001")
        .replace("{import_id}", "imp-000000000000000000000000")
        for r in template.operations()
    }
)


@pytest.mark.parametrize("path", RESOURCES)
def test_a_preflight_from_an_allowed_origin_is_answered_without_a_token(
    stack: LocalStack, path: str
) -> None:
    status, headers = preflight(stack, path, PAGE)

    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == PAGE
    assert "GET" in headers["Access-Control-Allow-Methods"].split(",") or path.endswith("/advisor")
    allowed = {h.lower() for h in headers["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "content-type", "if-match"} <= allowed


def test_a_preflight_for_the_assignment_allows_put_and_delete(stack: LocalStack) -> None:
    status, headers = preflight(stack, "/clients/cli-0001/advisor", "http://localhost:5173", "PUT")

    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == "http://localhost:5173"
    assert set(headers["Access-Control-Allow-Methods"].split(",")) == {"PUT", "DELETE", "OPTIONS"}


@pytest.mark.parametrize("origin", ["https://evil.example", "http://localhost.evil.example:80"])
def test_another_origin_is_allowed_nothing(stack: LocalStack, origin: str) -> None:
    status, headers = preflight(stack, "/advisors", origin)
    answered, answer_headers, _ = send(
        stack, "GET", "/advisors", {"Origin": origin, "Authorization": stack.token()}
    )

    assert status == 204
    assert "Access-Control-Allow-Origin" not in headers
    assert answered == 200
    assert "Access-Control-Allow-Origin" not in answer_headers


def test_a_functions_answer_echoes_the_allowed_origin(stack: LocalStack) -> None:
    status, headers, _ = send(
        stack, "GET", "/advisors/adv-001", {"Origin": PAGE, "Authorization": stack.token()}
    )

    assert status == 200
    assert headers["Access-Control-Allow-Origin"] == PAGE
    assert headers["Vary"] == "Origin"
    assert "ETag" in headers["Access-Control-Expose-Headers"].split(",")


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/advisors", 401, "unauthorized"),
        ("GET", "/no-such-route", 404, "not_found"),
        ("POST", "/health", 401, "unauthorized"),  # undeclared methods are for signed-in users
    ],
)
def test_the_gateways_own_answers_are_readable_by_the_page(
    stack: LocalStack, method: str, path: str, status: int, code: str
) -> None:
    answered, headers, body = send(stack, method, path, {"Origin": PAGE})

    assert answered == status
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert json.loads(body)["error"]["code"] == code


def test_a_request_too_large_is_readable_by_the_page(stack: LocalStack) -> None:
    request = head("GET", "/advisors", f"Origin: {PAGE}", f"X-Padding: {'a' * MAX_HEADER_BYTES}")

    reply = exchange(stack, request)

    assert reply.status == 413
    assert reply.headers["Access-Control-Allow-Origin"] == "*"


def test_a_large_listing_is_gzip_compressed_only_for_callers_that_accept_it(
    stack: LocalStack,
) -> None:
    path = "/advisors?include_unavailable=true&limit=100"
    token = stack.token()

    plain_status, plain_headers, plain = send(stack, "GET", path, {"Authorization": token})
    status, headers, compressed = send(
        stack, "GET", path, {"Authorization": token, "Accept-Encoding": "gzip, deflate"}
    )

    assert (plain_status, status) == (200, 200)
    assert len(plain) >= 1024
    assert "Content-Encoding" not in plain_headers
    assert headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed) == plain
    assert len(compressed) < len(plain)


def test_a_small_answer_is_not_compressed(stack: LocalStack) -> None:
    status, headers, body = send(stack, "GET", "/health", {"Accept-Encoding": "gzip"})

    assert status == 200
    assert "Content-Encoding" not in headers
    assert json.loads(body) == {"status": "ok"}


def test_the_health_check_needs_no_token(stack: LocalStack) -> None:
    reply = stack.request("GET", "/health", user=None)

    assert (reply.status, reply.body) == (200, {"status": "ok"})
