"""The local API's HTTP edge over raw sockets: what API Gateway answers to requests that a
client library would never send, and to clients that send too slowly or too much.

Every request the server could not read whole gets the API's error body (never HTML, never
a reset or a silent close), and a body sent in chunks reaches the function whole.
"""

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import LocalStack

pytestmark = pytest.mark.usefixtures("invariants_checked")

SAFETY_SECONDS = 180  # a generous net: the answers come long before, or never
MAX_BODY_BYTES = 10 * 1024 * 1024  # API Gateway's payload limit
MAX_HEADER_BYTES = 10 * 1024  # API Gateway's limit on the request line and headers


@dataclass
class RawReply:
    status: int
    headers: dict[str, str]
    body: Any


@contextmanager
def connections(stack: LocalStack, count: int) -> Iterator[list[socket.socket]]:
    """`count` open connections to the API."""
    address = urlsplit(stack.api_url)
    assert address.hostname is not None
    assert address.port is not None
    socks = [socket.create_connection((address.hostname, address.port)) for _ in range(count)]
    try:
        for sock in socks:
            sock.settimeout(SAFETY_SECONDS)
        yield socks
    finally:
        for sock in socks:
            sock.close()


@contextmanager
def connection(stack: LocalStack) -> Iterator[socket.socket]:
    with connections(stack, 1) as (sock,):
        yield sock


def read_reply(sock: socket.socket) -> RawReply:
    """Everything the server sends until it closes the connection, parsed."""
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    head, separator, body = received.partition(b"\r\n\r\n")
    assert separator, f"no complete response: {received!r}"
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines)
    assert int(headers["Content-Length"]) == len(body)
    is_json = headers.get("Content-Type", "").startswith("application/json")
    return RawReply(int(status_line.split()[1]), headers, json.loads(body) if is_json else body)


def exchange(stack: LocalStack, request: bytes) -> RawReply:
    with connection(stack) as sock:
        sock.sendall(request)
        return read_reply(sock)


def head(method: str, path: str, *fields: str) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", *fields]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def assert_refused(reply: RawReply, status: int) -> None:
    assert reply.status == status
    assert reply.headers["Content-Type"] == "application/json"
    assert reply.body["error"]["code"] == "bad_request"
    assert reply.body["error"]["message"]


@pytest.mark.parametrize(
    "fields",
    [
        ("Content-Length: abc",),
        ("Content-Length: -1",),
        ("Content-Length: 2", "Content-Length: 3"),
        ("Transfer-Encoding: gzip",),
    ],
    ids=["not a number", "negative", "two lengths", "unknown transfer encoding"],
)
def test_a_malformed_body_length_is_a_400_with_the_error_body(
    stack: LocalStack, fields: tuple[str, ...]
) -> None:
    request = head("PUT", "/clients/cli-0060/advisor", "Connection: close", *fields) + b"{}"

    assert_refused(exchange(stack, request), 400)


def test_a_malformed_chunk_is_a_400_with_the_error_body(stack: LocalStack) -> None:
    request = head("PUT", "/clients/cli-0060/advisor", "Transfer-Encoding: chunked")

    assert_refused(exchange(stack, request + b"zz\r\n{}\r\n0\r\n\r\n"), 400)


def test_a_chunked_body_reaches_the_function_whole(stack: LocalStack) -> None:
    body = json.dumps({"advisor_id": "adv-004"}).encode()
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (body[:7], body[7:]))
    request = head(
        "PUT",
        "/clients/cli-0060/advisor",
        f"Authorization: {stack.token()}",
        "Content-Type: application/json",
        "Transfer-Encoding: chunked",
        "Connection: close",
    )

    reply = exchange(stack, request + chunks + b"0\r\n\r\n")

    assert reply.status == 200
    assert reply.body["advisor_id"] == "adv-004"
    assert stack.request("GET", "/clients/cli-0060").body["advisor_id"] == "adv-004"


def test_a_body_over_api_gateways_limit_is_a_413_before_it_is_sent(stack: LocalStack) -> None:
    request = head("PUT", "/clients/cli-0060/advisor", f"Content-Length: {MAX_BODY_BYTES + 1}")

    assert_refused(exchange(stack, request), 413)


def test_a_client_sending_a_body_over_the_limit_still_gets_the_413(stack: LocalStack) -> None:
    size = MAX_BODY_BYTES + 1
    request = head("PUT", "/clients/cli-0060/advisor", f"Content-Length: {size}")

    with connection(stack) as sock:

        def send() -> None:
            # The server may stop reading once the client has had the answer.
            with suppress(OSError):
                sock.sendall(request + b"x" * size)

        sender = threading.Thread(target=send, daemon=True)
        sender.start()
        reply = read_reply(sock)
        sender.join(SAFETY_SECONDS)

    assert_refused(reply, 413)


@pytest.mark.parametrize("size", [MAX_HEADER_BYTES + 1000, 70_000], ids=["11 kB", "70 kB"])
def test_headers_over_api_gateways_limit_are_a_413(stack: LocalStack, size: int) -> None:
    request = head("GET", "/advisors", f"X-Padding: {'a' * size}")

    assert_refused(exchange(stack, request), 413)


def test_a_request_line_that_is_not_http_is_a_400(stack: LocalStack) -> None:
    assert_refused(exchange(stack, b"\x16\x03\x01 hello\r\n\r\n"), 400)


def test_slow_clients_are_answered_408_and_hold_no_worker(stack: LocalStack) -> None:
    """More stalled requests than the server has workers, some stalled in the headers and some
    in the body; a request sent meanwhile is served, and each stalled one gets a 408."""
    stalled = [head("GET", "/advisors")[:20] for _ in range(30)]
    stalled += [head("PUT", "/clients/cli-0060/advisor", "Content-Length: 100") + b"{"] * 30
    with connections(stack, len(stalled)) as socks:
        for sock, partial in zip(socks, stalled, strict=True):
            sock.sendall(partial)

        served = stack.request("GET", "/advisors/adv-004")

        replies = [read_reply(sock) for sock in socks]

    assert served.status == 200
    for reply in replies:
        assert_refused(reply, 408)
