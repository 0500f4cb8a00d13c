"""PUT and DELETE /clients/{client_id}/advisor: every status code of the contract."""

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import boto3
import pytest

from advisor_book import keys
from advisor_book.assignments import Move
from advisor_book.import_reports import ImportStatus
from advisor_book.store.assignment import AssignmentStore
from advisor_book.store.core import from_wire, to_wire
from tests.conftest import HttpResponse

Api = Callable[..., HttpResponse]


def assign(api: Api, client_id: str, advisor_id: str) -> HttpResponse:
    return api(
        "PUT", "/clients/{client_id}/advisor", body={"advisor_id": advisor_id}, client_id=client_id
    )


def unassign(api: Api, client_id: str) -> HttpResponse:
    return api("DELETE", "/clients/{client_id}/advisor", client_id=client_id)


def advisor(api: Api, advisor_id: str) -> dict[str, Any]:
    body: dict[str, Any] = api("GET", "/advisors/{advisor_id}", advisor_id=advisor_id).body
    return body


def book(api: Api, advisor_id: str) -> list[str]:
    body = api(
        "GET", "/advisors/{advisor_id}/clients", advisor_id=advisor_id, query={"limit": "100"}
    ).body
    return [item["client_id"] for item in body["items"]]


def client_total(api: Api, client_id: str) -> Decimal:
    return Decimal(api("GET", "/clients/{client_id}", client_id=client_id).body["total_value"])


def history(api: Api, client_id: str) -> list[tuple[str | None, str | None, str]]:
    """The client's changes oldest first: (previous advisor, advisor, at)."""
    body = api("GET", "/clients/{client_id}/assignments", client_id=client_id).body
    assert body["next_token"] is None
    return [(e["previous_advisor_id"], e["advisor_id"], e["at"]) for e in reversed(body["items"])]


def clock(*readings: datetime) -> Callable[[], datetime]:
    """A clock that reads the given times in turn."""
    times: Iterator[datetime] = iter(readings)
    return lambda: next(times)


def available_ids(api: Api) -> list[str]:
    return [a["advisor_id"] for a in api("GET", "/advisors", query={"limit": "100"}).body["items"]]


def test_assigning_a_client_moves_it_into_the_advisors_book(
    api: Api, seeded: dict[str, Any]
) -> None:
    response = assign(api, "cli-0004", "adv-001")

    assert response.status == 200
    assert response.body["client_id"] == "cli-0004"
    assert response.body["advisor_id"] == "adv-001"
    assert response.body["previous_advisor_id"] is None
    assert response.body["assigned_at"].endswith("Z")
    datetime.fromisoformat(response.body["assigned_at"])
    assert book(api, "adv-001") == ["cli-0004"]
    detail = advisor(api, "adv-001")
    assert detail["client_count"] == 1
    assert Decimal(detail["total_assets"]) == client_total(api, "cli-0004")


def test_repeating_an_assignment_is_a_200_that_changes_nothing(
    api: Api, seeded: dict[str, Any]
) -> None:
    first = assign(api, "cli-0004", "adv-001")

    again = assign(api, "cli-0004", "adv-001")

    assert again.status == 200
    assert again.body == first.body
    assert advisor(api, "adv-001")["client_count"] == 1
    assert book(api, "adv-001") == ["cli-0004"]


def test_reassigning_moves_the_client_and_both_advisors_totals(
    api: Api, seeded: dict[str, Any]
) -> None:
    assign(api, "cli-0004", "adv-001")
    assign(api, "cli-0006", "adv-001")

    response = assign(api, "cli-0004", "adv-002")

    assert response.status == 200
    assert response.body["previous_advisor_id"] == "adv-001"
    assert book(api, "adv-001") == ["cli-0006"]
    assert book(api, "adv-002") == ["cli-0004"]
    old, new = advisor(api, "adv-001"), advisor(api, "adv-002")
    assert (old["client_count"], new["client_count"]) == (1, 1)
    assert Decimal(old["total_assets"]) == client_total(api, "cli-0006")
    assert Decimal(new["total_assets"]) == client_total(api, "cli-0004")
    assert api("GET", "/clients/{client_id}", client_id="cli-0004").body["advisor_id"] == "adv-002"


def test_assigning_to_a_full_advisor_is_a_conflict(api: Api, seeded: dict[str, Any]) -> None:
    for client_id in ("cli-0001", "cli-0002", "cli-0003"):
        assert assign(api, client_id, "adv-003").status == 200  # capacity 3

    response = assign(api, "cli-0004", "adv-003")

    assert response.status == 409
    assert response.body == {"error": {"code": "conflict", "message": "advisor adv-003 is full"}}
    assert advisor(api, "adv-003")["client_count"] == 3
    assert api("GET", "/clients/{client_id}", client_id="cli-0004").body["advisor_id"] is None


def test_assigning_to_an_advisor_not_accepting_clients_is_a_conflict(
    api: Api, seeded: dict[str, Any]
) -> None:
    response = assign(api, "cli-0004", "adv-007")

    assert response.status == 409
    assert response.body["error"]["message"] == "advisor adv-007 is not accepting new clients"


def test_a_full_advisor_that_loses_a_client_is_available_again(
    api: Api, seeded: dict[str, Any]
) -> None:
    for client_id in ("cli-0001", "cli-0002", "cli-0003"):
        assign(api, client_id, "adv-003")
    assert "adv-003" not in available_ids(api)

    assign(api, "cli-0001", "adv-001")

    assert "adv-003" in available_ids(api)
    assert advisor(api, "adv-003")["available"] is True
    assert assign(api, "cli-0004", "adv-003").status == 200


def test_unknown_client_is_not_found(api: Api, seeded: dict[str, Any]) -> None:
    response = assign(api, "cli-9999", "adv-001")

    assert response.status == 404
    assert response.body["error"] == {"code": "not_found", "message": "client cli-9999 not found"}


def test_unknown_advisor_is_not_found(api: Api, seeded: dict[str, Any]) -> None:
    response = assign(api, "cli-0001", "adv-999")

    assert response.status == 404
    assert response.body["error"] == {"code": "not_found", "message": "advisor adv-999 not found"}


@pytest.mark.parametrize(
    "raw_body",
    [
        "{not json",
        "",
        "[]",
        '{"advisor_id": 7}',
        '{"advisor_id": null}',
        "{}",
        '{"advisor_id": "adv-001", "note": "x"}',
        '{"advisor_id": "adv#001"}',
        '{"advisor_id": ""}',
    ],
)
def test_malformed_body_is_a_validation_error(
    api: Api, seeded: dict[str, Any], raw_body: str
) -> None:
    response = api("PUT", "/clients/{client_id}/advisor", raw_body=raw_body, client_id="cli-0001")

    assert response.status == 422
    assert response.body["error"]["code"] == "validation_error"
    assert response.body["error"]["details"]
    assert api("GET", "/clients/{client_id}", client_id="cli-0001").body["advisor_id"] is None


def test_unassigning_removes_the_client_from_the_book(api: Api, seeded: dict[str, Any]) -> None:
    assign(api, "cli-0008", "adv-005")

    response = unassign(api, "cli-0008")

    assert response.status == 204
    assert response.body is None
    assert book(api, "adv-005") == []
    detail = advisor(api, "adv-005")
    assert (detail["client_count"], detail["total_assets"]) == (0, "0.00")
    assert api("GET", "/clients/{client_id}", client_id="cli-0008").body["advisor_id"] is None


def test_unassigning_a_client_without_advisor_is_a_204(api: Api, seeded: dict[str, Any]) -> None:
    assert unassign(api, "cli-0008").status == 204


def test_unassigning_an_unknown_client_is_not_found(api: Api, seeded: dict[str, Any]) -> None:
    response = unassign(api, "cli-9999")

    assert response.status == 404
    assert response.body["error"]["code"] == "not_found"


def test_leaving_an_advisor_that_stopped_accepting_keeps_it_unavailable(
    api: Api, seeded: dict[str, Any], load_seed: Callable[[Any], ImportStatus]
) -> None:
    assign(api, "cli-0001", "adv-006")
    closed = next(a for a in seeded["financial_advisors"] if a["id"] == "adv-006")
    load_seed({"financial_advisors": [{**closed, "accepting_new_clients": False}]})

    assert assign(api, "cli-0001", "adv-001").status == 200

    detail = advisor(api, "adv-006")
    assert (detail["client_count"], detail["available"]) == (0, False)
    assert "adv-006" not in available_ids(api)


def test_an_advisor_over_a_lowered_capacity_stays_unavailable_after_losing_one(
    api: Api, seeded: dict[str, Any], load_seed: Callable[[Any], ImportStatus]
) -> None:
    for client_id in ("cli-0001", "cli-0002", "cli-0003"):
        assign(api, client_id, "adv-011")
    record = next(a for a in seeded["financial_advisors"] if a["id"] == "adv-011")
    load_seed({"financial_advisors": [{**record, "capacity": 1}]})

    assert unassign(api, "cli-0001").status == 204

    detail = advisor(api, "adv-011")
    assert (detail["client_count"], detail["capacity"], detail["available"]) == (2, 1, False)
    assert "adv-011" not in available_ids(api)
    assert assign(api, "cli-0004", "adv-011").status == 409


# --- ordering of the history -------------------------------------------------------------


def test_a_change_overtaken_by_others_that_restore_the_advisor_is_decided_again(
    api: Api, seeded: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A DELETE reads adv-001; before it commits, the client goes to adv-002 and back. Its
    condition on the advisor alone would still hold, and it would commit with a time older than
    theirs; the history would read adv-001 -> none -> ... -> adv-002. It must be decided again."""
    start = datetime(2026, 1, 31, 9, 0, tzinfo=UTC)
    monkeypatch.setattr(
        "advisor_book.assignments.utc_now",
        clock(*(start + timedelta(seconds=n) for n in range(10))),
    )
    assert assign(api, "cli-0001", "adv-001").status == 200
    commit = AssignmentStore.move
    overtaken: list[str] = []

    def overtaken_once(store: AssignmentStore, move: Move) -> None:
        if move.joins is None and not overtaken:
            overtaken.append(move.at)
            assert assign(api, "cli-0001", "adv-002").status == 200
            assert assign(api, "cli-0001", "adv-001").status == 200
        commit(store, move)

    monkeypatch.setattr(AssignmentStore, "move", overtaken_once)

    assert unassign(api, "cli-0001").status == 204

    assert overtaken == ["2026-01-31T09:00:01.000Z"]
    assert history(api, "cli-0001") == [
        (None, "adv-001", "2026-01-31T09:00:00.000Z"),
        ("adv-001", "adv-002", "2026-01-31T09:00:02.000Z"),
        ("adv-002", "adv-001", "2026-01-31T09:00:03.000Z"),
        ("adv-001", None, "2026-01-31T09:00:04.000Z"),
    ]
    assert api("GET", "/clients/{client_id}", client_id="cli-0001").body["advisor_id"] is None
    assert book(api, "adv-001") == []


def test_a_change_made_on_a_clock_behind_the_last_one_still_sorts_after_it(
    api: Api, seeded: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lambda instances' clocks differ slightly; the history must still follow commit order."""
    monkeypatch.setattr(
        "advisor_book.assignments.utc_now",
        clock(
            datetime(2026, 1, 31, 10, 0, tzinfo=UTC),
            datetime(2026, 1, 31, 9, 59, 59, 999000, tzinfo=UTC),
            datetime(2026, 1, 31, 9, 0, tzinfo=UTC),
        ),
    )

    first = assign(api, "cli-0002", "adv-001")
    second = assign(api, "cli-0002", "adv-002")
    assert unassign(api, "cli-0002").status == 204

    assert (first.body["assigned_at"], second.body["assigned_at"]) == (
        "2026-01-31T10:00:00.000Z",
        "2026-01-31T10:00:00.001Z",
    )
    assert history(api, "cli-0002") == [
        (None, "adv-001", "2026-01-31T10:00:00.000Z"),
        ("adv-001", "adv-002", "2026-01-31T10:00:00.001Z"),
        ("adv-002", None, "2026-01-31T10:00:00.002Z"),
    ]


def test_an_assignment_stored_before_change_versions_is_still_guarded_and_moved(
    api: Api, seeded: dict[str, Any], table: str
) -> None:
    """Earlier releases stored the assignment as advisor and `assigned_at`, without a version."""
    assert assign(api, "cli-0003", "adv-001").status == 200
    db = boto3.client("dynamodb")
    key = keys.client_assignment("cli-0003")
    db.put_item(
        TableName=table,
        Item=to_wire(
            {
                **key,
                "client_id": "cli-0003",
                "advisor_id": "adv-001",
                "previous_advisor_id": None,
                "assigned_at": "2025-12-01T08:00:00.000Z",
            }
        ),
    )

    repeated = assign(api, "cli-0003", "adv-001")
    moved = assign(api, "cli-0003", "adv-002")

    assert (repeated.status, repeated.body["assigned_at"]) == (200, "2025-12-01T08:00:00.000Z")
    assert (moved.status, moved.body["previous_advisor_id"]) == (200, "adv-001")
    assert (book(api, "adv-001"), book(api, "adv-002")) == ([], ["cli-0003"])
    stored = from_wire(db.get_item(TableName=table, Key=to_wire(key))["Item"])
    assert (stored["advisor_id"], stored["version"]) == ("adv-002", 1)
