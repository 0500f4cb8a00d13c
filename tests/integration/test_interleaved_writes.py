"""Imports and assignments interleaved at their most delicate points: every total stays exact.

An import writes a changed client's profile first and brings the copy under its advisor (and
the advisor's total_assets) in step afterwards. An assignment change landing in between, or a
membership sync landing between an assignment change's read and its commit, must leave every
advisor's total_assets equal to the exact sum of its clients' totals. The whole table is then
read by the checker, which proves every invariant.
"""

import copy
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import boto3
import pytest

from advisor_book import keys
from advisor_book.assignments import Move
from advisor_book.import_reports import ImportStatus
from advisor_book.ingest import writer
from advisor_book.store.assignment import AssignmentStore
from advisor_book.store.core import to_wire
from advisor_book.store.ingest import IngestStore
from local.harness.checker import check_table
from local.harness.iam import RoleAudit
from tests.conftest import HttpResponse

Api = Callable[..., HttpResponse]
LoadSeed = Callable[[Any], ImportStatus]


def assign(api: Api, client_id: str, advisor_id: str) -> HttpResponse:
    return api(
        "PUT", "/clients/{client_id}/advisor", body={"advisor_id": advisor_id}, client_id=client_id
    )


def unassign(api: Api, client_id: str) -> HttpResponse:
    return api("DELETE", "/clients/{client_id}/advisor", client_id=client_id)


def total_assets(api: Api, advisor_id: str) -> Decimal:
    return Decimal(api("GET", "/advisors/{advisor_id}", advisor_id=advisor_id).body["total_assets"])


def client_total(api: Api, client_id: str) -> Decimal:
    return Decimal(api("GET", "/clients/{client_id}", client_id=client_id).body["total_value"])


def with_accounts(seed: dict[str, Any], client_id: str, *values: str) -> dict[str, Any]:
    """The seed document with one client's accounts replaced by accounts of these values."""
    changed = copy.deepcopy(seed)
    client = next(c for c in changed["clients"] if c["id"] == client_id)
    client["accounts"] = [
        {"id": f"{client_id}-acc-{n}", "type": "Brokerage", "value": float(v)}
        for n, v in enumerate(values)
    ]
    return changed


def book_is_consistent(table: str) -> list[str]:
    return check_table(boto3.client("dynamodb"), table, strict_capacity=False)


def before_membership_sync(
    monkeypatch: pytest.MonkeyPatch, action: Callable[[], object]
) -> list[bool]:
    """Run `action` once, after the import wrote its profiles and before it syncs the copies."""
    sync = writer.sync_copies
    ran: list[bool] = []

    def interleaved(store: IngestStore, client_ids: Sequence[str]) -> int:
        if not ran:
            ran.append(True)
            action()
        return sync(store, client_ids)

    monkeypatch.setattr(writer, "sync_copies", interleaved)
    return ran


def test_an_unassignment_between_an_imports_profile_write_and_its_sync_keeps_totals_exact(
    api: Api,
    seeded: dict[str, Any],
    load_seed: LoadSeed,
    table: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert assign(api, "cli-0001", "adv-001").status == 200
    assert assign(api, "cli-0002", "adv-001").status == 200
    ran = before_membership_sync(monkeypatch, lambda: unassign(api, "cli-0001"))

    assert load_seed(with_accounts(seeded, "cli-0001", "500000.05")).status == "SUCCEEDED"

    assert ran == [True]
    assert total_assets(api, "adv-001") == client_total(api, "cli-0002")
    assert book_is_consistent(table) == []


def test_a_reassignment_in_that_window_moves_exactly_what_each_advisor_was_credited(
    api: Api,
    seeded: dict[str, Any],
    load_seed: LoadSeed,
    table: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert assign(api, "cli-0001", "adv-001").status == 200
    assert assign(api, "cli-0002", "adv-001").status == 200
    ran = before_membership_sync(monkeypatch, lambda: assign(api, "cli-0001", "adv-002"))

    assert load_seed(with_accounts(seeded, "cli-0001", "0.01", "7.77")).status == "SUCCEEDED"

    assert ran == [True]
    assert total_assets(api, "adv-001") == client_total(api, "cli-0002")
    assert total_assets(api, "adv-002") == Decimal("7.78") == client_total(api, "cli-0001")
    assert book_is_consistent(table) == []


def test_a_membership_sync_between_a_moves_read_and_its_commit_makes_it_decide_again(
    api: Api,
    seeded: dict[str, Any],
    load_seed: LoadSeed,
    table: str,
    role_audit: RoleAudit,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The move read the old credit; the sync changed the copy and the credit before the move
    committed. Taking the old credit off would leave the advisor off by the difference."""
    assert assign(api, "cli-0003", "adv-001").status == 200
    commit = AssignmentStore.move
    synced: list[bool] = []

    def overtaken_by_an_import(store: AssignmentStore, move: Move) -> None:
        if not synced:
            synced.append(True)
            changed = with_accounts(seeded, "cli-0003", "123.45")
            with role_audit.acting_as("IngestFunction"):
                assert load_seed(changed).status == "SUCCEEDED"
        commit(store, move)

    monkeypatch.setattr(AssignmentStore, "move", overtaken_by_an_import)

    assert assign(api, "cli-0003", "adv-002").status == 200

    assert synced == [True]
    assert (total_assets(api, "adv-001"), total_assets(api, "adv-002")) == (
        Decimal(0),
        Decimal("123.45"),
    )
    assert book_is_consistent(table) == []


def test_an_assignment_stored_before_credits_is_moved_with_its_copys_total(
    api: Api,
    seeded: dict[str, Any],
    load_seed: LoadSeed,
    table: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Earlier releases kept no credit on the assignment item; the copy itself tells it."""
    assert assign(api, "cli-0004", "adv-001").status == 200
    db = boto3.client("dynamodb")
    db.update_item(
        TableName=table,
        Key=to_wire(keys.client_assignment("cli-0004")),
        UpdateExpression="REMOVE credited_total, credited_revision",
    )
    ran = before_membership_sync(monkeypatch, lambda: assign(api, "cli-0004", "adv-002"))

    assert load_seed(with_accounts(seeded, "cli-0004", "42.00")).status == "SUCCEEDED"

    assert ran == [True]
    assert total_assets(api, "adv-001") == Decimal(0)
    assert total_assets(api, "adv-002") == Decimal("42.00")
    assert book_is_consistent(table) == []
