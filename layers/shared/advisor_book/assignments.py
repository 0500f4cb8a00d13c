"""Assigning, reassigning and unassigning a client's advisor.

Each change is one DynamoDB transaction whose conditions re-check everything read before it
(see `BookRepository.move_client`). When another request got there first, the transaction is
cancelled and the change is decided again on a fresh read, with backoff, a few times.
"""

import random
import time
import uuid
from datetime import datetime, timedelta

from advisor_book.errors import AdvisorUnavailableError, ConflictError, NotFoundError
from advisor_book.models import Assignment, format_timestamp, utc_now
from advisor_book.repository import AssignmentState, BookRepository, Move, StaleReadError

MAX_ATTEMPTS = 6


def assign(repo: BookRepository, client_id: str, advisor_id: str) -> Assignment:
    """Give the client this advisor. Repeating an assignment that holds changes nothing."""
    state, move = _change_advisor(repo, client_id, advisor_id)
    if move is None:
        assert state.current is not None
        return Assignment.model_validate(
            {
                "client_id": client_id,
                "advisor_id": advisor_id,
                "previous_advisor_id": state.current.previous_advisor_id,
                "assigned_at": state.current.changed_at,
            }
        )
    return Assignment.model_validate(
        {
            "client_id": client_id,
            "advisor_id": advisor_id,
            "previous_advisor_id": move.previous_advisor_id,
            "assigned_at": move.at,
        }
    )


def unassign(repo: BookRepository, client_id: str) -> None:
    """Remove the client's advisor; a client without one is left as it is."""
    _change_advisor(repo, client_id, None)


def _change_advisor(
    repo: BookRepository, client_id: str, advisor_id: str | None
) -> tuple[AssignmentState, Move | None]:
    """Move the client to `advisor_id` (None: to no advisor); None as the move if already there."""
    previous_reopens = True
    for attempt in range(MAX_ATTEMPTS):
        state = repo.assignment_state(client_id, advisor_id)
        if state.client is None:
            raise NotFoundError(f"client {client_id} not found")
        current = state.current.advisor_id if state.current else None
        if advisor_id is not None:
            if state.target is None:
                raise NotFoundError(f"advisor {advisor_id} not found")
            if current != advisor_id and not state.target.available:
                reason = (
                    "is full"
                    if state.target.accepting_new_clients
                    else "is not accepting new clients"
                )
                raise AdvisorUnavailableError(f"advisor {advisor_id} {reason}")
        if current == advisor_id:
            return state, None
        move = Move(
            client=state.client,
            read=state.current,
            target=state.target,
            at=_change_time(state.current.changed_at if state.current else None),
            event_id=uuid.uuid4().hex,
            previous_reopens=previous_reopens,
        )
        try:
            repo.move_client(move)
        except StaleReadError as stale:
            if stale.failed == {"previous_advisor"}:
                # Only the guess about the previous advisor's availability was wrong.
                previous_reopens = not previous_reopens
            else:
                time.sleep(random.uniform(0, min(0.5, 0.01 * 2**attempt)))  # noqa: S311
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
