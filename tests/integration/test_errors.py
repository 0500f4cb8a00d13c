"""The error contract outside the routes: unknown routes and unexpected failures."""

import json
from collections.abc import Callable
from typing import Any

import pytest

from advisor_book.store.book import BookStore
from local.harness.events import ADMIN_CLAIMS, api_event

pytestmark = pytest.mark.shared_book

Functions = Callable[[str], Callable[[dict[str, Any]], Any]]


def test_an_unknown_path_is_not_found_with_the_error_body(functions: Functions) -> None:
    response = functions("AdvisorsFunction")(api_event("GET", "/advisers", claims=ADMIN_CLAIMS))

    assert response["statusCode"] == 404
    assert json.loads(response["body"]) == {
        "error": {"code": "not_found", "message": "no route for GET /advisers"}
    }


def test_an_unknown_method_is_not_found_with_the_error_body(functions: Functions) -> None:
    response = functions("ClientsFunction")(
        api_event(
            "PATCH",
            "/clients/{client_id}",
            path_parameters={"client_id": "cli-0001"},
            claims=ADMIN_CLAIMS,
        )
    )

    assert response["statusCode"] == 404
    assert json.loads(response["body"])["error"]["code"] == "not_found"


def test_an_unexpected_failure_is_a_500_naming_only_the_request_id(
    functions: Functions, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: Any, **__: Any) -> None:
        raise RuntimeError("internal detail: table advisor-book-test")

    monkeypatch.setattr(BookStore, "client", broken)
    event = api_event(
        "GET",
        "/clients/{client_id}",
        path_parameters={"client_id": "cli-0001"},
        request_id="req-123",
        claims=ADMIN_CLAIMS,
    )

    response = functions("ClientsFunction")(event)

    assert response["statusCode"] == 500
    body = json.loads(response["body"])
    assert body["error"]["code"] == "internal_error"
    assert "req-123" in body["error"]["message"]
    assert "internal detail" not in response["body"]
    assert "advisor-book-test" not in response["body"]


def test_an_undeclared_method_on_a_resource_is_405_naming_the_allowed_ones(
    functions: Functions,
) -> None:
    event = api_event(
        "PATCH",
        "/clients/{client_id}/advisor",
        path_parameters={"client_id": "c-1"},
        claims=ADMIN_CLAIMS,
    )

    response = functions("DocsFunction")(event)

    assert response["statusCode"] == 405
    assert response["multiValueHeaders"]["Allow"] == ["DELETE, PUT"]
    assert json.loads(response["body"]) == {
        "error": {
            "code": "method_not_allowed",
            "message": "PATCH is not allowed here; use DELETE, PUT",
        }
    }


@pytest.mark.parametrize(
    "content_type", ["text/plain", "multipart/form-data", "application/x-www-form-urlencoded"]
)
def test_a_body_that_is_not_json_is_415(functions: Functions, content_type: str) -> None:
    event = api_event(
        "PUT",
        "/clients/{client_id}/advisor",
        path_parameters={"client_id": "cli-0001"},
        headers={"Content-Type": [content_type]},
        body='{"advisor_id": "adv-001"}',
        claims=ADMIN_CLAIMS,
    )

    response = functions("AssignmentsFunction")(event)

    assert response["statusCode"] == 415
    assert json.loads(response["body"])["error"]["code"] == "unsupported_media_type"
