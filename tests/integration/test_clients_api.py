"""GET /clients/{client_id}."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from tests.conftest import HttpResponse

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
