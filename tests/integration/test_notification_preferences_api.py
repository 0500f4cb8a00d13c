"""GET and PUT /advisors/{advisor_id}/notification-preferences."""

from collections.abc import Callable
from typing import Any

import boto3
import pytest

from advisor_book import keys
from advisor_book.store.core import to_wire
from local.harness.events import service_claims, user_claims
from tests.conftest import HttpResponse, dynamodb_requests

Api = Callable[..., HttpResponse]

PATH = "/advisors/{advisor_id}/notification-preferences"
OWN = user_claims("adv-001", ["advisor"], advisor_id="adv-001")
OTHER = user_claims("adv-002", ["advisor"], advisor_id="adv-002")
PREFERENCES = {
    "email": "ada@example.com",
    "sms": "+4915112345678",
    "event_types": ["client.unassigned", "client.assigned"],
}


def stored(table: str, advisor_id: str) -> dict[str, Any] | None:
    item = boto3.client("dynamodb").get_item(
        TableName=table,
        Key=to_wire(keys.notification_preferences(advisor_id)),
        ConsistentRead=True,
    )
    return item.get("Item")


def test_an_advisor_who_never_set_preferences_has_none(api: Api, seeded: dict[str, Any]) -> None:
    response = api("GET", PATH, advisor_id="adv-001")

    assert response.status == 200
    assert response.body == {
        "advisor_id": "adv-001",
        "email": None,
        "sms": None,
        "event_types": [],
        "updated_at": None,
    }


def test_preferences_put_are_read_back_as_stored(api: Api, seeded: dict[str, Any]) -> None:
    put = api("PUT", PATH, body=PREFERENCES, advisor_id="adv-001")
    got = api("GET", PATH, advisor_id="adv-001")

    assert put.status == 200
    assert put.body["advisor_id"] == "adv-001"
    assert put.body["email"] == "ada@example.com"
    assert put.body["sms"] == "+4915112345678"
    assert put.body["event_types"] == ["client.assigned", "client.unassigned"]
    assert put.body["updated_at"].endswith("Z")
    assert got.status == 200
    assert got.body == put.body


def test_a_put_replaces_every_preference(api: Api, seeded: dict[str, Any], table: str) -> None:
    api("PUT", PATH, body=PREFERENCES, advisor_id="adv-001")

    put = api("PUT", PATH, body={"event_types": ["client.reassigned"]}, advisor_id="adv-001")

    assert put.status == 200
    assert (put.body["email"], put.body["sms"]) == (None, None)
    assert api("GET", PATH, advisor_id="adv-001").body == put.body
    item = stored(table, "adv-001")
    assert item is not None
    assert "email" not in item
    assert "sms" not in item


def test_the_preferences_record_who_set_them(api: Api, seeded: dict[str, Any], table: str) -> None:
    api("PUT", PATH, body=PREFERENCES, claims=OWN, advisor_id="adv-001")

    item = stored(table, "adv-001")

    assert item is not None
    assert item["updated_by"] == {"S": OWN["sub"]}


@pytest.mark.parametrize("method", ["GET", "PUT"])
def test_an_unknown_advisor_is_not_found_and_gets_no_preferences(
    api: Api, seeded: dict[str, Any], table: str, method: str
) -> None:
    body = PREFERENCES if method == "PUT" else None

    response = api(method, PATH, body=body, advisor_id="adv-999")

    assert response.status == 404
    assert response.body["error"] == {"code": "not_found", "message": "advisor adv-999 not found"}
    assert stored(table, "adv-999") is None


@pytest.mark.parametrize("method", ["GET", "PUT"])
def test_an_advisor_reads_and_replaces_their_own(
    api: Api, seeded: dict[str, Any], method: str
) -> None:
    body = PREFERENCES if method == "PUT" else None

    response = api(method, PATH, body=body, claims=OWN, advisor_id="adv-001")

    assert response.status == 200
    assert response.body["advisor_id"] == "adv-001"


@pytest.mark.parametrize("method", ["GET", "PUT"])
def test_another_advisors_preferences_are_answered_as_an_unknown_advisors(
    api: Api, seeded: dict[str, Any], table: str, method: str
) -> None:
    """No probing: adv-002 exists, and the answer is the one an unknown advisor gets."""
    api("PUT", PATH, body=PREFERENCES, advisor_id="adv-002")
    before = stored(table, "adv-002")
    body = {"email": "mallory@example.com"} if method == "PUT" else None

    theirs = api(method, PATH, body=body, claims=OWN, advisor_id="adv-002")
    unknown = api(method, PATH, body=body, claims=OWN, advisor_id="adv-999")

    assert (theirs.status, unknown.status) == (404, 404)
    assert theirs.body["error"] == {"code": "not_found", "message": "advisor adv-002 not found"}
    assert unknown.body["error"] == {"code": "not_found", "message": "advisor adv-999 not found"}
    assert stored(table, "adv-002") == before


def test_an_admin_reads_and_replaces_any_advisors(api: Api, seeded: dict[str, Any]) -> None:
    put = api("PUT", PATH, body=PREFERENCES, advisor_id="adv-002")

    assert put.status == 200
    assert api("GET", PATH, claims=OTHER, advisor_id="adv-002").body == put.body


@pytest.mark.parametrize("method", ["GET", "PUT"])
def test_a_service_is_refused_whatever_its_scopes(
    api: Api, seeded: dict[str, Any], table: str, method: str
) -> None:
    claims = service_claims("integrator", ["advisor-book/read", "advisor-book/assign"])
    body = PREFERENCES if method == "PUT" else None

    response = api(method, PATH, body=body, claims=claims, advisor_id="adv-001")

    assert response.status == 403
    assert response.body["error"]["code"] == "forbidden"
    assert stored(table, "adv-001") is None


@pytest.mark.parametrize(
    ("method", "body", "operation"),
    [("GET", None, "Query"), ("PUT", PREFERENCES, "TransactWriteItems")],
)
def test_each_call_is_one_dynamodb_request(
    api: Api, seeded: dict[str, Any], method: str, body: Any, operation: str
) -> None:
    api("GET", "/advisors/{advisor_id}", advisor_id="adv-001")  # the clients exist before
    with dynamodb_requests() as sent:
        assert api(method, PATH, body=body, advisor_id="adv-001").status == 200

    assert sent == [operation]


def test_an_advisors_book_lists_only_clients_beside_their_preferences(
    api: Api, seeded: dict[str, Any]
) -> None:
    """The preferences item shares the advisor's partition with the book."""
    api("PUT", "/clients/{client_id}/advisor", body={"advisor_id": "adv-001"}, client_id="cli-0001")
    api("PUT", PATH, body=PREFERENCES, advisor_id="adv-001")

    book = api("GET", "/advisors/{advisor_id}/clients", advisor_id="adv-001")
    found = api("GET", "/clients", query={"advisor_id": "adv-001"})
    named = api("GET", "/clients", query={"advisor_id": "adv-001", "name": "a"})

    assert book.status == found.status == named.status == 200
    assert [c["client_id"] for c in book.body["items"]] == ["cli-0001"]
    assert [c["client_id"] for c in found.body["items"]] == ["cli-0001"]
    assert all(c["client_id"] == "cli-0001" for c in named.body["items"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param({"email": "ada@"}, "email", id="email without domain"),
        pytest.param({"sms": "015112345678"}, "sms", id="phone without plus"),
        pytest.param({"event_types": ["client.deleted"]}, "event_types", id="unknown event"),
        pytest.param(
            {"event_types": ["client.assigned", "client.assigned"]},
            "event_types",
            id="event twice",
        ),
        pytest.param({"email": "ada@example.com", "webhook": "x"}, "webhook", id="extra field"),
    ],
)
def test_an_invalid_body_is_a_validation_error_that_stores_nothing(
    api: Api, seeded: dict[str, Any], table: str, body: dict[str, Any], field: str
) -> None:
    response = api("PUT", PATH, body=body, advisor_id="adv-001")

    assert response.status == 422
    assert response.body["error"]["code"] == "validation_error"
    assert any(field in d["location"] for d in response.body["error"]["details"])
    assert stored(table, "adv-001") is None


def test_neither_answers_nor_logs_repeat_an_address(
    api: Api, seeded: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    refused = api(
        "PUT", PATH, body={"email": "ada@example.com", "sms": "+49 151"}, advisor_id="adv-001"
    )
    accepted = api("PUT", PATH, body=PREFERENCES, advisor_id="adv-001")

    assert (refused.status, accepted.status) == (422, 200)
    assert "+49 151" not in str(refused.body)
    logged = capsys.readouterr()
    assert "ada@example.com" not in logged.out + logged.err
    assert "+4915112345678" not in logged.out + logged.err
