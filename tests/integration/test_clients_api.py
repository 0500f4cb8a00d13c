"""GET /clients/{client_id}."""

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import boto3
import pytest

from tests.conftest import HttpResponse

pytestmark = pytest.mark.shared_book

Api = Callable[..., HttpResponse]


def test_client_has_accounts_exact_total_and_no_advisor(api: Api, seeded: dict[str, Any]) -> None:
    record = next(c for c in seeded["clients"] if len(c["accounts"]) == 5)

    response = api("GET", "/clients/{client_id}", client_id=record["id"])

    assert response.status == 200
    body = response.body
    assert (body["client_id"], body["first_name"], body["last_name"]) == (
        record["id"],
        record["first_name"],
        record["last_name"],
    )
    assert body["advisor_id"] is None
    assert [a["account_id"] for a in body["accounts"]] == [a["id"] for a in record["accounts"]]
    assert all(isinstance(a["value"], str) for a in body["accounts"])
    expected = sum((Decimal(str(a["value"])) for a in record["accounts"]), Decimal(0))
    assert Decimal(body["total_value"]) == expected
    assert body["total_value"] == f"{expected:.2f}"


@pytest.mark.writes
def test_client_names_its_advisor_once_assigned(api: Api, seeded: dict[str, Any]) -> None:
    api("PUT", "/clients/{client_id}/advisor", body={"advisor_id": "adv-005"}, client_id="cli-0009")

    assert api("GET", "/clients/{client_id}", client_id="cli-0009").body["advisor_id"] == "adv-005"


def test_client_without_accounts_totals_zero(api: Api, seeded: dict[str, Any]) -> None:
    record = next(c for c in seeded["clients"] if not c["accounts"])

    body = api("GET", "/clients/{client_id}", client_id=record["id"]).body

    assert body["accounts"] == []
    assert body["total_value"] == "0.00"


def test_unknown_client_is_not_found(api: Api, seeded: dict[str, Any]) -> None:
    response = api("GET", "/clients/{client_id}", client_id="cli-9999")

    assert response.status == 404
    assert response.body == {"error": {"code": "not_found", "message": "client cli-9999 not found"}}


def test_malformed_client_id_is_a_validation_error(api: Api, seeded: dict[str, Any]) -> None:
    response = api("GET", "/clients/{client_id}", client_id="x" * 65)

    assert response.status == 422
    assert response.body["error"]["code"] == "validation_error"


def history(api: Api, client_id: str, **query: str) -> HttpResponse:
    return api("GET", "/clients/{client_id}/assignments", client_id=client_id, query=query)


@pytest.mark.writes
def test_history_lists_every_change_newest_first(api: Api, seeded: dict[str, Any]) -> None:
    for advisor_id in ("adv-001", "adv-002"):
        api(
            "PUT",
            "/clients/{client_id}/advisor",
            body={"advisor_id": advisor_id},
            client_id="cli-0007",
        )
    api("PUT", "/clients/{client_id}/advisor", body={"advisor_id": "adv-002"}, client_id="cli-0007")
    api("DELETE", "/clients/{client_id}/advisor", client_id="cli-0007")

    response = history(api, "cli-0007")

    assert response.status == 200
    assert response.body["client_id"] == "cli-0007"
    moves = [(e["previous_advisor_id"], e["advisor_id"]) for e in response.body["items"]]
    assert moves == [("adv-002", None), ("adv-001", "adv-002"), (None, "adv-001")]
    times = [e["at"] for e in response.body["items"]]
    assert times == sorted(times, reverse=True)
    assert response.body["next_token"] is None


@pytest.mark.writes
def test_history_paginates_and_its_token_is_bound_to_the_client(
    api: Api, seeded: dict[str, Any]
) -> None:
    for advisor_id in ("adv-001", "adv-002", "adv-004", "adv-005"):
        api(
            "PUT",
            "/clients/{client_id}/advisor",
            body={"advisor_id": advisor_id},
            client_id="cli-0008",
        )

    first = history(api, "cli-0008", limit="3")
    rest = history(api, "cli-0008", limit="3", next_token=first.body["next_token"])
    elsewhere = history(api, "cli-0009", limit="3", next_token=first.body["next_token"])

    assert len(first.body["items"]) == 3
    assert [e["advisor_id"] for e in rest.body["items"]] == ["adv-001"]
    assert rest.body["next_token"] is None
    assert elsewhere.status == 400


def test_a_client_never_assigned_has_an_empty_history(api: Api, seeded: dict[str, Any]) -> None:
    response = history(api, "cli-0010")

    assert response.status == 200
    assert response.body == {"client_id": "cli-0010", "items": [], "next_token": None}


def test_history_of_an_unknown_client_is_not_found(api: Api, seeded: dict[str, Any]) -> None:
    response = history(api, "cli-9999")

    assert response.status == 404
    assert response.body["error"]["message"] == "client cli-9999 not found"


def test_accounts_are_stored_as_one_exact_json_attribute(
    api: Api, seeded: dict[str, Any], table: str
) -> None:
    record = next(c for c in seeded["clients"] if len(c["accounts"]) == 5)

    stored = boto3.client("dynamodb").get_item(
        TableName=table, Key={"PK": {"S": f"CLIENT#{record['id']}"}, "SK": {"S": "#PROFILE"}}
    )["Item"]["accounts"]

    assert set(stored) == {"S"}
    assert [Decimal(a["value"]) for a in json.loads(stored["S"])] == [
        Decimal(str(a["value"])) for a in record["accounts"]
    ]


@pytest.mark.writes
def test_a_profile_with_accounts_as_a_list_of_maps_is_still_read(
    api: Api, seeded: dict[str, Any], table: str
) -> None:
    """Profiles written before accounts became one JSON attribute read the same."""
    dynamodb = boto3.client("dynamodb")
    key = {"PK": {"S": "CLIENT#cli-0001"}, "SK": {"S": "#PROFILE"}}
    dynamodb.update_item(
        TableName=table,
        Key=key,
        UpdateExpression="SET accounts = :accounts",
        ExpressionAttributeValues={
            ":accounts": {
                "L": [
                    {
                        "M": {
                            "account_id": {"S": "acc-legacy"},
                            "type": {"S": "IRA"},
                            "value": {"N": "1200.5"},
                        }
                    }
                ]
            }
        },
    )

    body = api("GET", "/clients/{client_id}", client_id="cli-0001").body

    assert body["accounts"] == [{"account_id": "acc-legacy", "type": "IRA", "value": "1200.50"}]
