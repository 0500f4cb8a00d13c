"""Change events: what the book publishes when it changes, and who made each change.

Each change writes its event in the same DynamoDB write that makes it (a transactional outbox):
the history item of an assignment transaction, and the outbox item an import's end writes
with its outcome. Their `event_type` attribute makes them outbox records; the table's stream
carries their insertion to the publisher, which sends each one to the events topic
(docs/events.md). So nothing is published that did not commit, and nothing that committed is
left unpublished.

An event carries ids only: no names, account values or other personal data.
"""

import uuid
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field

from advisor_book.auth import SERVICE, Caller
from advisor_book.import_reports import ImportStatus
from advisor_book.models import Actor, Model, Timestamp

EVENT_VERSION = 1

EventType = Literal[
    "client.assigned",
    "client.reassigned",
    "client.unassigned",
    "import.finished",
]
CLIENT_ASSIGNED: EventType = "client.assigned"
CLIENT_REASSIGNED: EventType = "client.reassigned"
CLIENT_UNASSIGNED: EventType = "client.unassigned"
IMPORT_FINISHED: EventType = "import.finished"

ImportOutcome = Literal["SUCCEEDED", "PARTIAL", "FAILED"]


def actor_of(caller: Caller) -> Actor:
    """The actor of a change an API caller made: a person by their sub and role, a service by
    its app client id."""
    if caller.role == SERVICE:
        return Actor(type="service", id=caller.subject)
    return Actor(type="user", id=caller.subject, role="admin" if caller.is_admin else "advisor")


def import_actor(import_id: str) -> Actor:
    return Actor(type="import", id=import_id)


def assignment_event_type(previous_advisor_id: str | None, advisor_id: str | None) -> EventType:
    """What a change of a client's advisor is called: from none, between two, or to none."""
    if advisor_id is None:
        return CLIENT_UNASSIGNED
    return CLIENT_ASSIGNED if previous_advisor_id is None else CLIENT_REASSIGNED


class ImportCounts(Model):
    advisors_upserted: int
    clients_upserted: int
    rejected: int


class ChangeEvent(Model):
    """One change of the book as it is published: the message body of the events topic, and
    the outbox attributes of the item that records the change (the same names)."""

    version: int = Field(
        default=EVENT_VERSION, description="The shape of this event; raised on a breaking change."
    )
    event_id: str = Field(description="Unique; the topic deduplicates on it.")
    event_type: EventType
    occurred_at: Timestamp = Field(description="When the change was committed.")
    actor: Actor
    client_id: str | None = None
    advisor_id: str | None = Field(default=None, description="The client's advisor after it.")
    previous_advisor_id: str | None = Field(
        default=None, description="The client's advisor before it."
    )
    import_id: str | None = None
    import_status: ImportOutcome | None = Field(default=None, description="An import's outcome.")
    counts: ImportCounts | None = Field(default=None, description="An import's counts.")

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> "ChangeEvent":
        """The event an outbox item holds (the item's other attributes ignored)."""
        return cls.model_validate({k: v for k, v in item.items() if k in cls.model_fields})

    @property
    def ordering_key(self) -> str:
        """The events of one client (or one import) are published in the order they were
        committed: the topic's message group."""
        key = self.client_id or self.import_id
        if key is None:
            raise ValueError(f"event {self.event_id} names neither a client nor an import")
        return key

    def attributes(self) -> dict[str, str]:
        """What subscribers filter on (SNS message attributes), each only when it has a value."""
        named = {
            "event_type": self.event_type,
            "advisor_id": self.advisor_id,
            "previous_advisor_id": self.previous_advisor_id,
            "client_id": self.client_id,
            "import_status": self.import_status,
        }
        return {name: value for name, value in named.items() if value is not None}


# Names the event of an import's end after the import, so that a write retried is the same event.
_IMPORT_EVENTS = uuid.UUID("5b0c1f9e-3d4a-4f4e-9d0b-6a1e2c7f8a31")


def import_finished(status: ImportStatus) -> ChangeEvent:
    """The event of an import that has ended (SUCCEEDED, PARTIAL or FAILED): its outcome and
    counts, and the import itself as the actor."""
    if status.status == "IN_PROGRESS" or status.finished_at is None:
        raise ValueError(f"import {status.import_id} has not finished")
    return ChangeEvent(
        event_id=uuid.uuid5(_IMPORT_EVENTS, status.import_id).hex,
        event_type=IMPORT_FINISHED,
        occurred_at=status.finished_at,
        actor=import_actor(status.import_id),
        import_id=status.import_id,
        import_status=status.status,
        counts=ImportCounts(
            advisors_upserted=status.advisors_upserted,
            clients_upserted=status.clients_upserted,
            rejected=status.rejected,
        ),
    )
