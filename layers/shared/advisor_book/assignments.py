"""Assigning, reassigning and unassigning a client's advisor: what is decided, and on what.

A change is decided on one consistent read (`AssignmentState`) and committed as one
transaction (`AssignmentStore.move`) whose conditions re-check everything the decision read.
When another request got there first, the store says which conditions failed and the change is
decided again on a fresh read, with backoff, a few times.

A caller can make a change conditional on the state it last saw (`Precondition`: If-Match with
the entity tag of `GET /clients/{id}`, or an expected advisor). It is checked on the read the
change is decided on, and the transaction is guarded on that read's version: a state that
changed before the commit cancels it, and the fresh read fails the precondition.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from advisor_book.errors import (
    AdvisorUnavailableError,
    ConflictError,
    NotFoundError,
    PreconditionFailedError,
    StaleReadError,
)
from advisor_book.events import ChangeEvent, assignment_event_type
from advisor_book.models import (
    Actor,
    Advisor,
    Assignment,
    ClientProfile,
    format_timestamp,
    utc_now,
)
from advisor_book.retry import backoff

if TYPE_CHECKING:
    from advisor_book.store.assignment import AssignmentStore

MAX_ATTEMPTS = 6


@dataclass(frozen=True)
class Credit:
    """What a client's advisor was credited for it: the total and revision of its membership
    copy. A move takes off exactly this, never the profile's current total, which an import may
    have changed before its membership sync brought the copy in step."""

    total: Decimal
    revision: str | None  # None: no copy (an earlier release left none); nothing to take off

    NOTHING: ClassVar["Credit"]


Credit.NOTHING = Credit(Decimal(0), None)


@dataclass(frozen=True)
class AssignmentRecord:
    """A client's assignment: its advisor (None once unassigned), its latest change, and what
    that advisor was credited (kept in step with the membership copy by every move and every
    membership sync, in the same transaction).

    Every change bumps `version` and is guarded on the one read, so a change decided on a read
    that others have since overtaken fails even when they have put the same advisor back
    (A to B to A): the history stays in commit order. Records stored before versions existed
    have none and are guarded on the advisor instead; records stored before credits existed
    have none, and the store reads the credit from the membership copy itself.
    """

    advisor_id: str | None
    previous_advisor_id: str | None
    changed_at: str
    version: int | None
    credit: Credit | None = None


def state_tag(record: AssignmentRecord | None) -> str:
    """The entity tag (unquoted) of a client's assignment state: its version, which every change
    raises ("v0": never assigned). A record from before versions is tagged by its advisor; its
    next change gives it a version."""
    if record is None:
        return "v0"
    if record.version is None:
        return f"v0-{record.advisor_id or ''}"
    return f"v{record.version}"


@dataclass(frozen=True)
class Precondition:
    """What the caller expects of the client's assignment before it changes: that its entity tag
    is one of `tags` (If-Match), that it has an advisor (If-Match: *), that its advisor is
    `advisor_id` (None: no advisor) when `expects_advisor`. All that are given must hold."""

    tags: frozenset[str] | None = None
    has_advisor: bool = False
    expects_advisor: bool = False
    advisor_id: str | None = None

    NONE: ClassVar["Precondition"]

    def holds(self, current: AssignmentRecord | None) -> bool:
        advisor = current.advisor_id if current else None
        if self.tags is not None and state_tag(current) not in self.tags:
            return False
        if self.has_advisor and advisor is None:
            return False
        return not self.expects_advisor or advisor == self.advisor_id


Precondition.NONE = Precondition()


@dataclass(frozen=True)
class AssignmentState:
    """One consistent read of everything a change of advisor is decided on."""

    client: ClientProfile | None
    current: AssignmentRecord | None
    target: Advisor | None


@dataclass(frozen=True)
class Move:
    """A change of a client's advisor, decided: what the transaction writes, and what it must
    still find as it was read."""

    client: ClientProfile  # copied under the new advisor; its revision must still hold
    read: AssignmentRecord | None  # the assignment as read (None: never assigned)
    joins: Advisor | None  # the new advisor as read (None: unassign)
    fills_up: bool  # the client takes its last seat: out of the availability index
    credit: Credit  # what the previous advisor, if any, is debited
    reopens: bool  # a guess: the previous advisor is available again once the client leaves
    at: str
    event_id: str
    actor: Actor  # who asked for it

    @property
    def leaves(self) -> str | None:
        """The previous advisor."""
        return self.read.advisor_id if self.read else None

    def event(self) -> ChangeEvent:
        """The change as it is published; the history item that records it is its outbox
        record, committed in the same transaction."""
        advisor_id = self.joins.advisor_id if self.joins else None
        return ChangeEvent.model_validate(
            {
                "event_id": self.event_id,
                "event_type": assignment_event_type(self.leaves, advisor_id),
                "occurred_at": self.at,
                "actor": self.actor,
                "client_id": self.client.client_id,
                "advisor_id": advisor_id,
                "previous_advisor_id": self.leaves,
            }
        )

    @property
    def version(self) -> int:
        return (self.read.version or 0) + 1 if self.read else 1


def assign(
    store: "AssignmentStore",
    client_id: str,
    advisor_id: str,
    precondition: Precondition = Precondition.NONE,
    *,
    actor: Actor,
) -> tuple[Assignment, str]:
    """Give the client this advisor, on behalf of `actor`; with it, the entity tag of the state
    it leaves. Repeating an assignment that holds changes nothing."""
    state, move = _change_advisor(store, client_id, advisor_id, precondition, actor)
    if move is None:
        assert state.current is not None
        previous, at = state.current.previous_advisor_id, state.current.changed_at
    else:
        previous, at = move.leaves, move.at
    assignment = Assignment.model_validate(
        {
            "client_id": client_id,
            "advisor_id": advisor_id,
            "previous_advisor_id": previous,
            "assigned_at": at,
        }
    )
    return assignment, _tag_after(state, move)


def unassign(
    store: "AssignmentStore",
    client_id: str,
    precondition: Precondition = Precondition.NONE,
    *,
    actor: Actor,
) -> str:
    """Remove the client's advisor on behalf of `actor`, and say the entity tag of the state it
    leaves; a client without one is left as it is."""
    return _tag_after(*_change_advisor(store, client_id, None, precondition, actor))


def _tag_after(state: AssignmentState, move: "Move | None") -> str:
    return state_tag(state.current) if move is None else f"v{move.version}"


def decide(
    state: AssignmentState,
    client_id: str,
    advisor_id: str | None,
    reopens: bool,
    actor: Actor,
    precondition: Precondition = Precondition.NONE,
) -> Move | None:
    """The move that gives the client `advisor_id` (None: no advisor), or None when it already
    has it. NotFoundError for an unknown client or advisor; PreconditionFailedError when the
    state is not the one the caller expects; AdvisorUnavailableError when the advisor cannot
    take it (the capacity rule, `Advisor.available`)."""
    if state.client is None:
        raise NotFoundError(f"client {client_id} not found")
    if not precondition.holds(state.current):
        raise PreconditionFailedError(
            f"the advisor of client {client_id} is no longer the one expected; read it again"
        )
    current = state.current.advisor_id if state.current else None
    target = state.target
    if advisor_id is not None:
        if target is None:
            raise NotFoundError(f"advisor {advisor_id} not found")
        if current != advisor_id and not target.available:
            full = "is full" if target.accepting_new_clients else "is not accepting new clients"
            raise AdvisorUnavailableError(f"advisor {advisor_id} {full}")
    if current == advisor_id:
        return None
    read = state.current
    return Move(
        client=state.client,
        read=read,
        joins=target,
        fills_up=target is not None and not target.available_with(target.client_count + 1),
        credit=(read.credit if read and read.credit else Credit.NOTHING),
        reopens=reopens,
        at=_change_time(read.changed_at if read else None),
        event_id=uuid.uuid4().hex,
        actor=actor,
    )


def _change_advisor(
    store: "AssignmentStore",
    client_id: str,
    advisor_id: str | None,
    precondition: Precondition,
    actor: Actor,
) -> tuple[AssignmentState, Move | None]:
    """Decide and commit, again on a fresh read whenever the data changed in between."""
    reopens = True
    for attempt in range(MAX_ATTEMPTS):
        state = store.state(client_id, advisor_id)
        move = decide(state, client_id, advisor_id, reopens, actor, precondition)
        if move is None:
            return state, None
        try:
            store.move(move)
        except StaleReadError as stale:
            if stale.failed == {"previous_advisor"}:
                reopens = not reopens  # only the guess about the previous advisor was wrong
            else:
                backoff(attempt, base=0.01, cap=0.5)
            continue
        return state, move
    raise ConflictError(f"client {client_id} is being changed by other requests; retry")


def _change_time(previous: str | None) -> str:
    """Now, or a millisecond after the previous change when this clock is behind the one that
    made it: the history is ordered by time, so a change must sort after the one it follows."""
    now = utc_now()
    if previous is not None:
        now = max(now, datetime.fromisoformat(previous) + timedelta(milliseconds=1))
    return format_timestamp(now)
