"""GET /advisors, GET /advisors/{advisor_id}, GET /advisors/{advisor_id}/clients."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import HttpResponse

pytestmark = pytest.mark.shared_book

Api = Callable[..., HttpResponse]


def advisor_ids(response: HttpResponse) -> list[str]:
    return [item["advisor_id"] for item in response.body["items"]]


def test_listing_returns_only_available_advisors_in_id_order(
    api: Api, seeded: dict[str, Any]
) -> None:
    response = api("GET", "/advisors")

    assert response.status == 200
    ids = advisor_ids(response)
    assert ids == sorted(ids)
    assert "adv-007" not in ids  # not accepting new clients in data.json
    assert all(item["available"] for item in response.body["items"])
    assert response.body["next_token"] is None


def test_listing_with_unavailable_includes_every_advisor(api: Api, seeded: dict[str, Any]) -> None:
    response = api("GET", "/advisors", query={"include_unavailable": "true"})

    assert response.status == 200
    assert len(response.body["items"]) == len(seeded["financial_advisors"])
    closed = next(i for i in response.body["items"] if i["advisor_id"] == "adv-007")
    assert closed["available"] is False
    assert closed["accepting_new_clients"] is False


def test_focus_area_filter_is_case_insensitive(api: Api, seeded: dict[str, Any]) -> None:
    expected = sorted(
        a["id"]
        for a in seeded["financial_advisors"]
        if "Tax Planning" in a["focus_areas"] and a.get("accepting_new_clients", True)
    )

    response = api("GET", "/advisors", query={"focus_area": "tAX pLANNING"})

    assert response.status == 200
    assert advisor_ids(response) == expected


def test_pages_follow_next_token_without_gaps_or_repeats(api: Api, seeded: dict[str, Any]) -> None:
    seen: list[str] = []
    token = None
    for _ in range(20):
        query = {
            "limit": "4",
            "include_unavailable": "true",
            **({"next_token": token} if token else {}),
        }
        response = api("GET", "/advisors", query=query)
        assert response.status == 200
        assert len(response.body["items"]) <= 4
        seen += advisor_ids(response)
        token = response.body["next_token"]
        if token is None:
            break

    assert seen == sorted(a["id"] for a in seeded["financial_advisors"])


@pytest.mark.writes
def test_a_full_advisor_leaves_the_available_listing(api: Api, seeded: dict[str, Any]) -> None:
    for client_id in ("cli-0001", "cli-0002", "cli-0003"):
        assert (
            api(
                "PUT",
                "/clients/{client_id}/advisor",
                body={"advisor_id": "adv-003"},
                client_id=client_id,
            ).status
            == 200
        )

    assert "adv-003" not in advisor_ids(api("GET", "/advisors"))
    detail = api("GET", "/advisors/{advisor_id}", advisor_id="adv-003").body
    assert detail["client_count"] == 3
    assert detail["available"] is False


@pytest.mark.parametrize(
    "query",
    [
        {"limit": "0"},
        {"limit": "101"},
        {"limit": "ten"},
        {"include_unavailable": "maybe"},
        {"focus_area": ""},
    ],
)
def test_invalid_query_parameters_are_a_validation_error(
    api: Api, seeded: dict[str, Any], query: dict[str, str]
) -> None:
    response = api("GET", "/advisors", query=query)

    assert response.status == 422
    assert response.body["error"]["code"] == "validation_error"
    assert response.body["error"]["details"][0]["location"][0] == "query"


def test_a_forged_next_token_is_a_bad_request(api: Api, seeded: dict[str, Any]) -> None:
    token = api("GET", "/advisors", query={"limit": "2"}).body["next_token"]
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")

    response = api("GET", "/advisors", query={"limit": "2", "next_token": forged})

    assert response.status == 400
    assert response.body["error"]["code"] == "bad_request"


def test_a_next_token_from_another_filter_is_a_bad_request(
    api: Api, seeded: dict[str, Any]
) -> None:
    token = api("GET", "/advisors", query={"limit": "2"}).body["next_token"]

    response = api(
        "GET", "/advisors", query={"limit": "2", "include_unavailable": "true", "next_token": token}
    )

    assert response.status == 400


def test_get_advisor_returns_the_summary_with_total_assets(
    api: Api, seeded: dict[str, Any]
) -> None:
    response = api("GET", "/advisors/{advisor_id}", advisor_id="adv-001")

    assert response.status == 200
    assert response.body == {
        "advisor_id": "adv-001",
        "name": seeded["financial_advisors"][0]["name"],
        "focus_areas": seeded["financial_advisors"][0]["focus_areas"],
        "client_count": 0,
        "capacity": seeded["financial_advisors"][0]["capacity"],
        "accepting_new_clients": True,
        "available": True,
        "total_assets": "0.00",
    }


def test_unknown_advisor_is_not_found(api: Api, seeded: dict[str, Any]) -> None:
    response = api("GET", "/advisors/{advisor_id}", advisor_id="adv-999")

    assert response.status == 404
    assert response.body == {"error": {"code": "not_found", "message": "advisor adv-999 not found"}}


def test_malformed_advisor_id_is_a_validation_error(api: Api, seeded: dict[str, Any]) -> None:
    response = api("GET", "/advisors/{advisor_id}", advisor_id="-adv-1")

    assert response.status == 422


@pytest.mark.writes
def test_advisor_clients_list_each_client_with_its_exact_total(
    api: Api, seeded: dict[str, Any]
) -> None:
    clients = {c["id"]: c for c in seeded["clients"]}
    chosen = ["cli-0005", "cli-0002", "cli-0010"]
    for client_id in chosen:
        api(
            "PUT",
            "/clients/{client_id}/advisor",
            body={"advisor_id": "adv-002"},
            client_id=client_id,
        )

    response = api("GET", "/advisors/{advisor_id}/clients", advisor_id="adv-002")

    assert response.status == 200
    assert response.body["advisor_id"] == "adv-002"
    assert [i["client_id"] for i in response.body["items"]] == sorted(chosen)
    for item in response.body["items"]:
        accounts = clients[item["client_id"]]["accounts"]
        assert Decimal(item["total_value"]) == sum(
            (Decimal(str(a["value"])) for a in accounts), Decimal(0)
        )
        assert item["account_count"] == len(accounts)
    assets = Decimal(
        api("GET", "/advisors/{advisor_id}", advisor_id="adv-002").body["total_assets"]
    )
    assert assets == sum(Decimal(i["total_value"]) for i in response.body["items"])


@pytest.mark.writes
def test_advisor_clients_paginate(api: Api, seeded: dict[str, Any]) -> None:
    chosen = [f"cli-00{n:02d}" for n in range(11, 18)]
    for client_id in chosen:
        api(
            "PUT",
            "/clients/{client_id}/advisor",
            body={"advisor_id": "adv-004"},
            client_id=client_id,
        )

    first = api("GET", "/advisors/{advisor_id}/clients", advisor_id="adv-004", query={"limit": "5"})
    second = api(
        "GET",
        "/advisors/{advisor_id}/clients",
        advisor_id="adv-004",
        query={"limit": "5", "next_token": first.body["next_token"]},
    )

    assert [i["client_id"] for i in first.body["items"] + second.body["items"]] == chosen
    assert second.body["next_token"] is None


@pytest.mark.writes
def test_a_next_token_from_another_advisor_is_a_bad_request(
    api: Api, seeded: dict[str, Any]
) -> None:
    for client_id in ("cli-0001", "cli-0002"):
        api(
            "PUT",
            "/clients/{client_id}/advisor",
            body={"advisor_id": "adv-001"},
            client_id=client_id,
        )
    token = api(
        "GET", "/advisors/{advisor_id}/clients", advisor_id="adv-001", query={"limit": "1"}
    ).body["next_token"]

    response = api(
        "GET",
        "/advisors/{advisor_id}/clients",
        advisor_id="adv-002",
        query={"limit": "1", "next_token": token},
    )

    assert response.status == 400
    assert response.body["error"]["code"] == "bad_request"


def test_an_advisor_without_clients_has_an_empty_book(api: Api, seeded: dict[str, Any]) -> None:
    response = api("GET", "/advisors/{advisor_id}/clients", advisor_id="adv-013")

    assert response.status == 200
    assert response.body == {"advisor_id": "adv-013", "items": [], "next_token": None}


def test_clients_of_an_unknown_advisor_are_not_found(api: Api, seeded: dict[str, Any]) -> None:
    response = api("GET", "/advisors/{advisor_id}/clients", advisor_id="adv-404")

    assert response.status == 404
    assert response.body["error"]["code"] == "not_found"


def test_invalid_limit_on_advisor_clients_is_a_validation_error(
    api: Api, seeded: dict[str, Any]
) -> None:
    response = api(
        "GET", "/advisors/{advisor_id}/clients", advisor_id="adv-001", query={"limit": "1000"}
    )

    assert response.status == 422
