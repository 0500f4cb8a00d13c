"""GET /clients/{client_id}/advisor-suggestions: available advisors, best match first."""

from collections.abc import Callable
from typing import Any

import pytest

from advisor_book import suggestions
from advisor_book.import_reports import ImportStatus
from tests.conftest import HttpResponse

Api = Callable[..., HttpResponse]
ROUTE = "/clients/{client_id}/advisor-suggestions"


def advisor(advisor_id: str, areas: list[str], capacity: int | None, **extra: Any) -> Any:
    return {
        "id": advisor_id,
        "name": advisor_id,
        "focus_areas": areas,
        "capacity": capacity,
        **extra,
    }


BOOK = {
    "financial_advisors": [
        advisor("adv-a", ["Retirement", "Tax Planning"], 2),
        advisor("adv-b", ["Tax Planning"], None),
        advisor("adv-c", ["Estate Planning"], 10),
        advisor("adv-d", ["retirement", "TAX PLANNING", "Estate Planning"], 1),
        advisor("adv-e", ["Retirement", "Tax Planning"], 5, accepting_new_clients=False),
        advisor("adv-f", ["Retirement"], 5),
    ],
    "clients": [
        {"id": f"cli-{n}", "first_name": "Client", "last_name": str(n), "accounts": []}
        for n in range(3)
    ],
}


@pytest.fixture
def book(load_seed: Callable[[Any], ImportStatus]) -> None:
    assert load_seed(BOOK).status == "SUCCEEDED"


def suggest(api: Api, client_id: str = "cli-0", **query: str | list[str]) -> HttpResponse:
    return api("GET", ROUTE, client_id=client_id, query=query)


def ranking(response: HttpResponse) -> list[str]:
    assert response.status == 200, response.body
    return [item["advisor"]["advisor_id"] for item in response.body["items"]]


def test_advisors_are_ranked_by_matched_areas_then_room_then_id(api: Api, book: None) -> None:
    response = suggest(api, focus_area=["tax planning", "Retirement"], limit="25")

    assert ranking(response) == ["adv-a", "adv-d", "adv-b", "adv-f", "adv-c"]
    first, second = response.body["items"][:2]
    assert (first["rank"], first["remaining_capacity"], second["rank"]) == (1, 2, 2)
    assert second["matched_focus_areas"] == ["retirement", "TAX PLANNING"]
    assert second["reason"] == (
        "matches 2 of 2 requested focus areas (retirement, TAX PLANNING); room for 1 more clients"
    )
    unlimited = response.body["items"][2]
    assert (unlimited["remaining_capacity"], unlimited["matched_focus_areas"]) == (
        None,
        ["Tax Planning"],
    )
    assert unlimited["reason"].endswith("; unlimited capacity")
    assert response.body["focus_areas"] == ["tax planning", "Retirement"]
    assert (response.body["considered"], response.body["complete"]) == (5, True)


def test_without_a_focus_area_advisors_are_ranked_by_room(api: Api, book: None) -> None:
    response = suggest(api)

    assert ranking(response) == ["adv-b", "adv-c", "adv-f", "adv-a", "adv-d"]
    assert response.body["items"][0]["reason"] == "no focus area requested; unlimited capacity"


def test_room_counts_the_clients_an_advisor_has(api: Api, book: None) -> None:
    for client_id in ("cli-1", "cli-2"):
        put = api(
            "PUT", "/clients/{client_id}/advisor", body={"advisor_id": "adv-c"}, client_id=client_id
        )
        assert put.status == 200

    response = suggest(api, focus_area="estate planning", limit="2")

    assert ranking(response) == ["adv-c", "adv-d"]
    assert response.body["items"][0]["remaining_capacity"] == 8


def test_the_clients_own_advisor_and_full_ones_are_never_suggested(api: Api, book: None) -> None:
    assert (
        api(
            "PUT", "/clients/{client_id}/advisor", body={"advisor_id": "adv-d"}, client_id="cli-1"
        ).status
        == 200
    )
    assert (
        api(
            "PUT", "/clients/{client_id}/advisor", body={"advisor_id": "adv-b"}, client_id="cli-0"
        ).status
        == 200
    )

    response = suggest(api, "cli-0", focus_area="Retirement", limit="25")

    assert ranking(response) == ["adv-f", "adv-a", "adv-c"]


def test_an_unknown_client_is_not_found(api: Api, book: None) -> None:
    response = suggest(api, "cli-9")

    assert response.status == 404
    assert response.body["error"]["message"] == "client cli-9 not found"


@pytest.mark.parametrize(
    "query",
    [{"limit": "0"}, {"limit": "26"}, {"focus_area": ""}, {"focus_area": ["x"] * 21}],
    ids=["limit 0", "limit 26", "empty area", "21 areas"],
)
def test_bad_parameters_are_a_validation_error(
    api: Api, book: None, query: dict[str, str | list[str]]
) -> None:
    assert api("GET", ROUTE, client_id="cli-0", query=query).status == 422


def test_only_the_first_pool_of_available_advisors_is_ranked(
    api: Api, load_seed: Callable[[Any], ImportStatus], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ranking reads one bounded page of the availability index, and says when it did not
    reach its end."""
    monkeypatch.setattr(suggestions, "POOL_SIZE", 3)
    assert load_seed(BOOK).status == "SUCCEEDED"

    response = suggest(api, focus_area="Estate Planning", limit="25")

    assert ranking(response) == ["adv-c", "adv-b", "adv-a"]
    assert (response.body["considered"], response.body["complete"]) == (3, False)
