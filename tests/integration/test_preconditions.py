"""Conditional changes of a client's advisor: the ETag of GET /clients/{client_id}, If-Match
and expected_advisor_id on PUT and DELETE /clients/{client_id}/advisor, and 412."""

from collections.abc import Callable
from typing import Any

import boto3
import pytest

from advisor_book import keys
from advisor_book.assignments import Move
from advisor_book.store.assignment import AssignmentStore
from advisor_book.store.core import to_wire
from tests.conftest import HttpResponse

Api = Callable[..., HttpResponse]


def etag_of(api: Api, client_id: str) -> str:
    response = api("GET", "/clients/{client_id}", client_id=client_id)
    assert response.status == 200
    return response.headers["ETag"]


def assign(api: Api, client_id: str, body: dict[str, Any], if_match: str | None = None) -> Any:
    headers = {"If-Match": if_match} if if_match is not None else None
    return api(
        "PUT", "/clients/{client_id}/advisor", body=body, headers=headers, client_id=client_id
    )


def unassign(api: Api, client_id: str, if_match: str | None = None) -> HttpResponse:
    headers = {"If-Match": if_match} if if_match is not None else None
    return api("DELETE", "/clients/{client_id}/advisor", headers=headers, client_id=client_id)


def advisor_of(api: Api, client_id: str) -> str | None:
    advisor: str | None = api("GET", "/clients/{client_id}", client_id=client_id).body["advisor_id"]
    return advisor


def is_precondition_failed(response: HttpResponse) -> bool:
    return response.status == 412 and response.body["error"]["code"] == "precondition_failed"


def test_the_etag_is_stable_while_unchanged_and_new_after_every_change(
    api: Api, seeded: dict[str, Any]
) -> None:
    never_assigned = etag_of(api, "cli-0001")
    assert etag_of(api, "cli-0001") == never_assigned

    assigned = assign(api, "cli-0001", {"advisor_id": "adv-001"})
    after_assign = etag_of(api, "cli-0001")
    repeated = assign(api, "cli-0001", {"advisor_id": "adv-001"})
    moved = assign(api, "cli-0001", {"advisor_id": "adv-002"})
    after_move = etag_of(api, "cli-0001")
    unassigned = unassign(api, "cli-0001")
    after_unassign = etag_of(api, "cli-0001")
    moved_back = assign(api, "cli-0001", {"advisor_id": "adv-002"})

    tags = [never_assigned, after_assign, after_move, after_unassign, etag_of(api, "cli-0001")]
    assert len(set(tags)) == len(tags)
    assert all(tag.startswith('"') and tag.endswith('"') for tag in tags)
    assert assigned.headers["ETag"] == after_assign == repeated.headers["ETag"]
    assert moved.headers["ETag"] == after_move
    assert unassigned.headers["ETag"] == after_unassign
    assert moved_back.headers["ETag"] == tags[-1]


def test_a_change_with_the_current_etag_is_made(api: Api, seeded: dict[str, Any]) -> None:
    tag = etag_of(api, "cli-0002")

    assigned = assign(api, "cli-0002", {"advisor_id": "adv-001"}, if_match=tag)
    unassigned = unassign(api, "cli-0002", if_match=assigned.headers["ETag"])

    assert (assigned.status, unassigned.status) == (200, 204)
    assert advisor_of(api, "cli-0002") is None


def test_a_change_with_a_stale_etag_is_a_412_that_changes_nothing(
    api: Api, seeded: dict[str, Any]
) -> None:
    stale = etag_of(api, "cli-0003")
    assert assign(api, "cli-0003", {"advisor_id": "adv-001"}).status == 200

    moved = assign(api, "cli-0003", {"advisor_id": "adv-002"}, if_match=stale)
    repeated = assign(api, "cli-0003", {"advisor_id": "adv-001"}, if_match=stale)
    unassigned = unassign(api, "cli-0003", if_match=stale)

    assert all(map(is_precondition_failed, (moved, repeated, unassigned)))
    assert "cli-0003" in moved.body["error"]["message"]
    assert advisor_of(api, "cli-0003") == "adv-001"
    history = api("GET", "/clients/{client_id}/assignments", client_id="cli-0003").body
    assert len(history["items"]) == 1


def test_if_match_admits_any_of_several_tags_and_never_a_weak_one(
    api: Api, seeded: dict[str, Any]
) -> None:
    tag = etag_of(api, "cli-0004")

    weak = assign(api, "cli-0004", {"advisor_id": "adv-001"}, if_match=f"W/{tag}")
    listed = assign(api, "cli-0004", {"advisor_id": "adv-001"}, if_match=f'"v99", {tag}')

    assert is_precondition_failed(weak)
    assert listed.status == 200


def test_if_match_star_needs_a_client_with_an_advisor(api: Api, seeded: dict[str, Any]) -> None:
    unassigned_client = unassign(api, "cli-0005", if_match="*")
    first_assignment = assign(api, "cli-0005", {"advisor_id": "adv-001"}, if_match="*")
    assert assign(api, "cli-0005", {"advisor_id": "adv-001"}).status == 200
    reassignment = assign(api, "cli-0005", {"advisor_id": "adv-002"}, if_match="*")
    unassignment = unassign(api, "cli-0005", if_match="*")

    assert is_precondition_failed(unassigned_client)
    assert is_precondition_failed(first_assignment)
    assert (reassignment.status, unassignment.status) == (200, 204)


@pytest.mark.parametrize("header", ["v1", '"v1', "**", "", '"v0" *'])
def test_an_if_match_naming_no_tag_of_the_state_matches_nothing(
    api: Api, seeded: dict[str, Any], header: str
) -> None:
    """A value that is neither * nor a list of tags holding the current one is a 412 too."""
    response = assign(api, "cli-0006", {"advisor_id": "adv-001"}, if_match=header)

    assert is_precondition_failed(response)
    assert advisor_of(api, "cli-0006") is None


def test_expected_advisor_id_guards_an_assignment(api: Api, seeded: dict[str, Any]) -> None:
    wrong_none = assign(
        api, "cli-0001", {"advisor_id": "adv-002", "expected_advisor_id": "adv-001"}
    )
    first = assign(api, "cli-0001", {"advisor_id": "adv-001", "expected_advisor_id": None})
    again_from_none = assign(
        api, "cli-0001", {"advisor_id": "adv-002", "expected_advisor_id": None}
    )
    moved = assign(api, "cli-0001", {"advisor_id": "adv-002", "expected_advisor_id": "adv-001"})

    assert is_precondition_failed(wrong_none)
    assert first.status == 200
    assert is_precondition_failed(again_from_none)
    assert (moved.status, moved.body["previous_advisor_id"]) == (200, "adv-001")
    assert advisor_of(api, "cli-0001") == "adv-002"


def test_an_unknown_client_is_not_found_whatever_the_precondition(
    api: Api, seeded: dict[str, Any]
) -> None:
    assigned = assign(api, "cli-9999", {"advisor_id": "adv-001"}, if_match='"v0"')
    unassigned = unassign(api, "cli-9999", if_match="*")

    assert (assigned.status, unassigned.status) == (404, 404)


def test_a_change_overtaken_between_its_read_and_its_commit_fails_its_precondition(
    api: Api, seeded: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two requests with the same If-Match: the second commits while the first is between its
    read (where the tag still matched) and its commit. The first must not go through: the
    transaction is guarded on the version it read, and its fresh read fails the tag."""
    tag = etag_of(api, "cli-0002")
    commit = AssignmentStore.move
    overtaken: list[HttpResponse] = []

    def overtaken_once(store: AssignmentStore, move: Move) -> None:
        if move.joins is not None and move.joins.advisor_id == "adv-001" and not overtaken:
            overtaken.append(assign(api, "cli-0002", {"advisor_id": "adv-002"}, if_match=tag))
        commit(store, move)

    monkeypatch.setattr(AssignmentStore, "move", overtaken_once)

    first = assign(api, "cli-0002", {"advisor_id": "adv-001"}, if_match=tag)

    assert [response.status for response in overtaken] == [200]
    assert is_precondition_failed(first)
    assert advisor_of(api, "cli-0002") == "adv-002"


def test_an_assignment_stored_before_versions_has_an_etag_that_guards_it(
    api: Api, seeded: dict[str, Any], table: str
) -> None:
    boto3.client("dynamodb").put_item(
        TableName=table,
        Item=to_wire(
            {
                **keys.client_assignment("cli-0003"),
                "client_id": "cli-0003",
                "advisor_id": "adv-001",
                "assigned_at": "2025-12-01T08:00:00.000Z",
            }
        ),
    )
    legacy = etag_of(api, "cli-0003")

    moved = assign(api, "cli-0003", {"advisor_id": "adv-002"}, if_match=legacy)
    again = assign(api, "cli-0003", {"advisor_id": "adv-001"}, if_match=legacy)

    assert legacy not in (etag_of(api, "cli-0001"), moved.headers["ETag"])
    assert moved.status == 200
    assert is_precondition_failed(again)
