"""Change events: who made a change, what each change publishes, and its outbox record."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from advisor_book import keys
from advisor_book.assignments import AssignmentRecord, Credit, Move
from advisor_book.auth import ADMIN, ADVISOR, SERVICE, Caller
from advisor_book.events import ChangeEvent, actor_of, import_finished
from advisor_book.import_reports import ImportStatus
from advisor_book.models import Actor, Advisor, ClientProfile
from advisor_book.publisher import event_of, message_attributes
from advisor_book.store.assignment import _put_event
from advisor_book.store.imports import _outbox_record

CLIENT = ClientProfile(
    client_id="cli-0001",
    first_name="Maria",
    last_name="Lopez",
    total_value=Decimal("1234.50"),
    account_count=2,
    revision="r1",
)
ADMIN_ACTOR = Actor(type="user", id="sub-1", role="admin")


def advisor(advisor_id: str) -> Advisor:
    return Advisor(
        advisor_id=advisor_id,
        name="Jane Doe",
        focus_areas=["Retirement"],
        client_count=0,
        capacity=None,
        accepting_new_clients=True,
        total_assets=Decimal("99.00"),
    )


def move(previous: str | None, joins: str | None) -> Move:
    read = (
        AssignmentRecord(previous, None, "2026-01-01T00:00:00.000Z", 1)
        if previous is not None
        else None
    )
    return Move(
        client=CLIENT,
        read=read,
        joins=advisor(joins) if joins else None,
        fills_up=False,
        credit=Credit.NOTHING,
        reopens=True,
        at="2026-02-03T04:05:06.789Z",
        event_id="e" * 32,
        actor=ADMIN_ACTOR,
    )


def stream_record(item: dict[str, Any], sequence: str = "100") -> dict[str, Any]:
    return {"eventName": "INSERT", "dynamodb": {"NewImage": item, "SequenceNumber": sequence}}


@pytest.mark.parametrize(
    ("caller", "expected"),
    [
        (Caller("sub-1", ADMIN), Actor(type="user", id="sub-1", role="admin")),
        (Caller("sub-2", ADVISOR, "adv-001"), Actor(type="user", id="sub-2", role="advisor")),
        (Caller("app-client-1", SERVICE), Actor(type="service", id="app-client-1")),
    ],
)
def test_the_actor_of_a_caller_is_a_person_with_a_role_or_a_service(
    caller: Caller, expected: Actor
) -> None:
    assert actor_of(caller) == expected


@pytest.mark.parametrize(
    ("previous", "joins", "event_type"),
    [
        (None, "adv-001", "client.assigned"),
        ("adv-001", "adv-002", "client.reassigned"),
        ("adv-001", None, "client.unassigned"),
    ],
)
def test_a_move_publishes_the_change_it_makes(
    previous: str | None, joins: str | None, event_type: str
) -> None:
    event = move(previous, joins).event()

    assert event.event_type == event_type
    assert (event.client_id, event.previous_advisor_id, event.advisor_id) == (
        "cli-0001",
        previous,
        joins,
    )
    assert event.actor == ADMIN_ACTOR
    assert event.version == 1
    assert event.ordering_key == "cli-0001"


def test_an_event_carries_ids_and_no_personal_data() -> None:
    body = move("adv-001", "adv-002").event().model_dump_json()

    for personal in ("Maria", "Lopez", "Jane Doe", "1234.5", "99"):
        assert personal not in body


def test_the_history_item_is_the_outbox_record_of_its_event() -> None:
    decided = move("adv-001", "adv-002")
    item = _put_event(decided)["Put"]["Item"]

    assert item[keys.EVENT_TYPE] == {"S": "client.reassigned"}
    assert item["occurred_at"] == item["at"]
    assert item["SK"]["S"].startswith(keys.HISTORY_PREFIX)
    assert event_of(stream_record(item)) == decided.event()


def test_message_attributes_omit_those_without_a_value() -> None:
    attributes = message_attributes(move(None, "adv-001").event())

    assert attributes == {
        "event_type": {"DataType": "String", "StringValue": "client.assigned"},
        "advisor_id": {"DataType": "String", "StringValue": "adv-001"},
        "client_id": {"DataType": "String", "StringValue": "cli-0001"},
    }


def finished_import(status: str = "PARTIAL") -> ImportStatus:
    at = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    return ImportStatus.model_validate(
        {
            **ImportStatus.started("imp-1", "bucket", "book.json", at).model_dump(),
            "status": status,
            "advisors_upserted": 3,
            "clients_upserted": 40,
            "rejected": 2,
            "finished_at": at,
        }
    )


def test_an_import_that_finished_publishes_its_outcome_and_counts_as_its_own_actor() -> None:
    event = import_finished(finished_import())

    assert event.event_type == "import.finished"
    assert event.import_status == "PARTIAL"
    assert event.counts is not None
    assert (event.counts.clients_upserted, event.counts.rejected) == (40, 2)
    assert event.actor == Actor(type="import", id="imp-1")
    assert event.ordering_key == "imp-1"
    assert import_finished(finished_import()).event_id == event.event_id  # a retry: same event


def test_an_import_in_progress_has_no_finished_event() -> None:
    running = finished_import().model_copy(update={"status": "IN_PROGRESS", "finished_at": None})

    with pytest.raises(ValueError, match="has not finished"):
        import_finished(running)


def test_the_outbox_record_of_an_import_reads_back_as_its_event() -> None:
    event = import_finished(finished_import("FAILED"))
    item = _outbox_record(event)["Put"]["Item"]

    assert {item["PK"]["S"], item["SK"]["S"]} == {"IMPORT#imp-1", keys.IMPORT_FINISHED_EVENT}
    assert event_of(stream_record(item)) == event


def test_an_item_that_is_not_an_event_is_refused() -> None:
    item = {"PK": {"S": "CLIENT#c"}, "SK": {"S": "HISTORY#x"}, "event_type": {"S": "other"}}

    with pytest.raises(ValidationError):
        event_of(stream_record(item))


def test_an_event_names_a_client_or_an_import() -> None:
    orphan = ChangeEvent(
        event_id="e",
        event_type="client.assigned",
        occurred_at=datetime(2026, 1, 1, tzinfo=UTC),
        actor=ADMIN_ACTOR,
    )

    with pytest.raises(ValueError, match="neither a client nor an import"):
        _ = orphan.ordering_key
