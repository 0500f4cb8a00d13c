"""GET /clients: finding clients by advisor, by having none, and by a prefix of a name."""

from collections.abc import Callable
from typing import Any

import boto3
import pytest

from advisor_book import assignments
from advisor_book.names import normalized
from local.harness.checker import check_table
from local.harness.events import service_claims, user_claims
from tests.conftest import ARRANGER, HttpResponse, Stores, dynamodb_requests, import_document

pytestmark = pytest.mark.shared_book

Api = Callable[..., HttpResponse]

# Beyond data.json: names with accents and cases, one of them matched by both names.
NAMED = [
    ("cli-9001", "José", "Álvarez"),
    ("cli-9002", "Ana", "Josefsson"),
    ("cli-9003", "Josefina", "JOSE"),
    ("cli-9004", "Zoë", "Ødegaard"),
]
ASSIGNED = {
    "cli-0001": "adv-001",
    "cli-0002": "adv-001",
    "cli-9002": "adv-001",
    "cli-0004": "adv-002",
}
ADVISOR_1 = user_claims("adv-001", ["advisor"], advisor_id="adv-001")


@pytest.fixture(scope="module")
def book_arrangement() -> Callable[[Stores], None]:
    def arrange(stores: Stores) -> None:
        clients = [
            {
                "id": client_id,
                "first_name": first,
                "last_name": last,
                "accounts": [{"id": f"{client_id}-a", "type": "IRA", "value": 1000.5}],
            }
            for client_id, first, last in NAMED
        ]
        status = import_document(stores, {"financial_advisors": [], "clients": clients})
        assert status.status == "SUCCEEDED"
        for client_id, advisor_id in ASSIGNED.items():
            assignments.assign(stores.assignments, client_id, advisor_id, actor=ARRANGER)

    return arrange


def all_clients(seeded: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Every client of the book: id -> (first name, last name)."""
    book = {c["id"]: (c["first_name"], c["last_name"]) for c in seeded["clients"]}
    return book | {client_id: (first, last) for client_id, first, last in NAMED}


def named(seeded: dict[str, Any], prefix: str) -> set[str]:
    key = normalized(prefix)
    return {
        client_id
        for client_id, names in all_clients(seeded).items()
        if any(normalized(name).startswith(key) for name in names)
    }


def collect(api: Api, limit: int, claims: dict[str, Any] | None = None, **query: str) -> list[Any]:
    """Every item of the listing, page after page; each page a 200 of at most `limit` items."""
    items: list[Any] = []
    token: str | None = None
    extra = {"claims": claims} if claims is not None else {}
    for _ in range(200):
        page_query = {**query, "limit": str(limit), **({"next_token": token} if token else {})}
        response = api("GET", "/clients", query=page_query, **extra)
        assert response.status == 200, response.body
        assert len(response.body["items"]) <= limit
        items += response.body["items"]
        token = response.body["next_token"]
        if token is None:
            return items
    raise AssertionError("the listing never ended")


def ids_once(items: list[Any]) -> set[str]:
    ids = [item["client_id"] for item in items]
    assert len(ids) == len(set(ids)), f"listed more than once: {ids}"
    return set(ids)


def test_every_client_is_listed_once_in_id_order_with_its_advisor_and_total(
    api: Api, seeded: dict[str, Any]
) -> None:
    items = collect(api, 7)

    assert [item["client_id"] for item in items] == sorted(all_clients(seeded))
    for item in items:
        assert item["advisor_id"] == ASSIGNED.get(item["client_id"])
    jose = next(item for item in items if item["client_id"] == "cli-9001")
    assert jose == {
        "client_id": "cli-9001",
        "first_name": "José",
        "last_name": "Álvarez",
        "advisor_id": None,
        "total_value": "1000.50",
    }


@pytest.mark.parametrize("prefix", ["jose", "JOSÉ", "Jose", "  jose"])
def test_a_name_prefix_finds_first_and_last_names_without_case_or_accents(
    api: Api, seeded: dict[str, Any], prefix: str
) -> None:
    assert ids_once(collect(api, 25, name=prefix)) == {"cli-9001", "cli-9002", "cli-9003"}


def test_a_client_whose_two_names_match_is_listed_once_even_one_per_page(
    api: Api, seeded: dict[str, Any]
) -> None:
    items = collect(api, 1, name="jose")

    assert ids_once(items) == {"cli-9001", "cli-9002", "cli-9003"}
    assert {item["client_id"]: item["advisor_id"] for item in items} == {
        "cli-9001": None,
        "cli-9002": "adv-001",
        "cli-9003": None,
    }


@pytest.mark.parametrize("prefix", ["a", "m", "ø", "o", "luci", "c"])
def test_paging_a_name_search_lists_every_match_once(
    api: Api, seeded: dict[str, Any], prefix: str
) -> None:
    expected = named(seeded, prefix)

    assert ids_once(collect(api, 3, name=prefix)) == expected
    assert expected


def test_unassigned_lists_exactly_the_clients_without_an_advisor(
    api: Api, seeded: dict[str, Any]
) -> None:
    items = collect(api, 9, unassigned="true")

    assert [item["client_id"] for item in items] == sorted(
        all_clients(seeded).keys() - ASSIGNED.keys()
    )
    assert all(item["advisor_id"] is None for item in items)


def test_unassigned_with_a_name_lists_the_unassigned_matches(
    api: Api, seeded: dict[str, Any]
) -> None:
    items = collect(api, 1, unassigned="true", name="jose")

    assert ids_once(items) == {"cli-9001", "cli-9003"}


def test_a_page_filtered_by_name_holds_the_matches_far_apart_in_the_listing(
    api: Api, seeded: dict[str, Any]
) -> None:
    unassigned = api("GET", "/clients", query={"unassigned": "true", "name": "jose", "limit": "2"})
    mine = api("GET", "/clients", query={"advisor_id": "adv-001", "name": "jo", "limit": "1"})

    assert [i["client_id"] for i in unassigned.body["items"]] == ["cli-9001", "cli-9003"]
    assert unassigned.body["next_token"] is None
    assert [i["client_id"] for i in mine.body["items"]] == ["cli-9002"]


def test_an_advisor_id_lists_that_advisors_clients_and_with_a_name_its_matches(
    api: Api, seeded: dict[str, Any]
) -> None:
    mine = {c for c, a in ASSIGNED.items() if a == "adv-001"}

    items = collect(api, 2, advisor_id="adv-001")
    assert [item["client_id"] for item in items] == sorted(mine)
    assert {item["advisor_id"] for item in items} == {"adv-001"}
    assert ids_once(collect(api, 1, advisor_id="adv-001", name="JOSÉ")) == {"cli-9002"}
    assert collect(api, 5, advisor_id="adv-003") == []


def test_an_unknown_advisor_id_is_not_found(api: Api, seeded: dict[str, Any]) -> None:
    response = api("GET", "/clients", query={"advisor_id": "adv-999"})

    assert response.status == 404
    assert response.body == {"error": {"code": "not_found", "message": "advisor adv-999 not found"}}


def test_an_advisor_finds_only_their_own_clients(api: Api, seeded: dict[str, Any]) -> None:
    mine = sorted(c for c, a in ASSIGNED.items() if a == "adv-001")

    assert [i["client_id"] for i in collect(api, 2, ADVISOR_1)] == mine
    assert [i["client_id"] for i in collect(api, 2, ADVISOR_1, advisor_id="adv-001")] == mine
    assert ids_once(collect(api, 2, ADVISOR_1, name="ana")) == {"cli-9002"}


def test_another_advisors_clients_answer_as_their_book_does_not_found(
    api: Api, seeded: dict[str, Any]
) -> None:
    found = api("GET", "/clients", query={"advisor_id": "adv-002"}, claims=ADVISOR_1)
    book = api("GET", "/advisors/{advisor_id}/clients", advisor_id="adv-002", claims=ADVISOR_1)

    assert (found.status, found.body) == (book.status, book.body)
    assert found.status == 404


def test_the_unassigned_clients_are_forbidden_to_an_advisor(
    api: Api, seeded: dict[str, Any]
) -> None:
    response = api("GET", "/clients", query={"unassigned": "true"}, claims=ADVISOR_1)

    assert response.status == 403
    assert response.body["error"]["code"] == "forbidden"


def test_a_service_with_the_read_scope_finds_every_client(api: Api, seeded: dict[str, Any]) -> None:
    reader = service_claims("crm", ["advisor-book/read"])

    assert ids_once(collect(api, 50, reader)) == set(all_clients(seeded))


@pytest.mark.parametrize(
    ("query", "status"),
    [
        pytest.param({"name": ""}, 422, id="empty-name"),
        pytest.param({"name": "a" * 65}, 422, id="name-too-long"),
        pytest.param({"name": "a" * 100_000}, 422, id="huge-name"),
        pytest.param({"name": "jo\x00se"}, 422, id="control-character"),
        pytest.param({"name": "jo\u202ese"}, 422, id="direction-override"),
        pytest.param({"name": "\u0301\u0301"}, 422, id="only-combining-marks"),
        pytest.param({"name": "   "}, 422, id="only-spaces"),
        pytest.param({"unassigned": "maybe"}, 422, id="unassigned-not-a-boolean"),
        pytest.param({"unassigned": "true", "advisor_id": "adv-001"}, 422, id="both-filters"),
        pytest.param({"advisor_id": "adv 001/.."}, 422, id="malformed-advisor-id"),
        pytest.param({"limit": "0"}, 422, id="limit-zero"),
        pytest.param({"limit": "101"}, 422, id="limit-over-100"),
        pytest.param({"limit": "ten"}, 422, id="limit-not-a-number"),
        pytest.param({"next_token": "not-a-token"}, 400, id="bad-token"),
        pytest.param({"next_token": "x" * 3000}, 422, id="huge-token"),
    ],
)
def test_hostile_parameters_get_a_clear_client_error(
    api: Api, seeded: dict[str, Any], query: dict[str, str], status: int
) -> None:
    response = api("GET", "/clients", query=query)

    assert response.status == status, response.body
    assert response.body["error"]["code"] == (
        "bad_request" if status == 400 else "validation_error"
    )
    assert response.body["error"]["message"]


def test_a_token_only_resumes_the_listing_and_filters_it_was_minted_for(
    api: Api, seeded: dict[str, Any]
) -> None:
    token = api("GET", "/clients", query={"name": "a", "limit": "1"}).body["next_token"]
    assert token is not None

    other_filter = api("GET", "/clients", query={"name": "m", "next_token": token})
    unfiltered = api("GET", "/clients", query={"next_token": token})
    same_in_other_form = api("GET", "/clients", query={"name": "A", "next_token": token})

    assert other_filter.status == unfiltered.status == 400
    assert same_in_other_form.status == 200


@pytest.mark.parametrize(
    "query",
    [
        pytest.param({}, id="everyone"),
        pytest.param({"name": "jose"}, id="by-name"),
        pytest.param({"unassigned": "true"}, id="unassigned"),
        pytest.param({"unassigned": "true", "name": "a"}, id="unassigned-by-name"),
        pytest.param({"advisor_id": "adv-001"}, id="advisor"),
        pytest.param({"advisor_id": "adv-001", "name": "a"}, id="advisor-by-name"),
    ],
)
def test_each_page_is_one_dynamodb_query(
    api: Api, seeded: dict[str, Any], query: dict[str, str]
) -> None:
    with dynamodb_requests() as sent:
        first = api("GET", "/clients", query={**query, "limit": "1"})
        assert first.status == 200
        assert first.body["next_token"] is not None
        counted = len(sent)
        second = api(
            "GET", "/clients", query={**query, "limit": "1", "next_token": first.body["next_token"]}
        )

    assert second.status == 200
    assert sent[:counted] == ["Query"]
    assert sent[counted:] == ["Query"]


@pytest.mark.writes
def test_an_assigned_client_leaves_the_unassigned_listing_and_comes_back_once_unassigned(
    api: Api, seeded: dict[str, Any], table: str
) -> None:
    def unassigned_jose() -> set[str]:
        return ids_once(collect(api, 2, unassigned="true", name="josé"))

    assert unassigned_jose() == {"cli-9001", "cli-9003"}
    moved = api(
        "PUT", "/clients/{client_id}/advisor", body={"advisor_id": "adv-003"}, client_id="cli-9001"
    )
    assert moved.status == 200

    assert unassigned_jose() == {"cli-9003"}
    by_name = {i["client_id"]: i["advisor_id"] for i in collect(api, 5, name="alvarez")}
    assert by_name == {"cli-9001": "adv-003"}
    assert ids_once(collect(api, 5, advisor_id="adv-003", name="jose")) == {"cli-9001"}
    assert check_table(boto3.client("dynamodb"), table) == []

    assert api("DELETE", "/clients/{client_id}/advisor", client_id="cli-9001").status == 204
    assert unassigned_jose() == {"cli-9001", "cli-9003"}
    assert collect(api, 5, name="alvarez")[0]["advisor_id"] is None
    assert check_table(boto3.client("dynamodb"), table) == []
