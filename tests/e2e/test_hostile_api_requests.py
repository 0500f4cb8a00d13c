"""Hostile requests over HTTP, through the local gateway and the functions: each one answered
from the contract or with its error body, never a 500."""

from typing import Any

import pytest

from tests.e2e.conftest import LocalStack

pytestmark = pytest.mark.usefixtures("invariants_checked")


def put(stack: LocalStack, path: str, raw: bytes, content_type: str) -> tuple[int, Any]:
    """The status, and the body (its error when it is one)."""
    reply = stack.request("PUT", path, raw=raw, content_type=content_type)
    return reply.status, reply.body["error"] if reply.status >= 400 else reply.body


@pytest.mark.parametrize("content_type", ["APPLICATION/JSON", "Application/JSON; charset=UTF-8"])
def test_a_json_body_is_json_whatever_the_case_of_its_media_type(
    stack: LocalStack, content_type: str
) -> None:
    status, body = put(
        stack, "/clients/cli-0005/advisor", b'{"advisor_id": "adv-001"}', content_type
    )

    assert (status, body["advisor_id"]) == (200, "adv-001")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"[" * 10_000 + b"]" * 10_000, "the body is nested too deeply"),
        (b'[{"advisor_id": "adv-001"}]', "the body must be a JSON object"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_a_422(
    stack: LocalStack, raw: bytes, message: str
) -> None:
    status, error = put(stack, "/clients/cli-0005/advisor", raw, "application/json")

    assert (status, error["code"]) == (422, "validation_error")
    assert error["details"][0]["message"] == message


@pytest.mark.parametrize("path", ["/clients/cli-0001%0A", "/clients/cli-0001%2Fassignments"])
def test_an_id_that_is_not_an_id_is_a_422_and_reaches_no_other_route(
    stack: LocalStack, path: str
) -> None:
    reply = stack.request("GET", path)

    assert reply.status == 422
    assert reply.body["error"]["code"] == "validation_error"
