"""The assignment transaction: a decided `Move` written as one TransactWriteItems.

Each item of the transaction is built by one function named for what it writes and guards.
A condition that fails cancels the whole transaction; `Table.transact` then names the items
whose condition failed, and the domain decides again.
"""

from typing import Any

from advisor_book import keys
from advisor_book.assignments import AssignmentRecord, AssignmentState, Credit, Move
from advisor_book.models import Advisor, ClientProfile
from advisor_book.store.core import ABSENT, PRESENT, Action, Table, condition, pick, to_wire
from advisor_book.store.items import advisor_of, assignment_of, credit_of, profile_of

# The capacity rule (`Advisor.available_with`) as a condition on an advisor about to lose a
# client: accepting, and below capacity once the client has left.
_AVAILABLE_ONCE_LEFT = (
    "accepting_new_clients = :yes AND "
    "(attribute_not_exists(#capacity) OR client_count <= #capacity)"
)


class AssignmentStore:
    def __init__(self, table: Table) -> None:
        self._table = table

    def state(self, client_id: str, advisor_id: str | None) -> AssignmentState:
        """One consistent BatchGetItem: the client's profile, its assignment and the target
        advisor (one more read for an assignment stored before credits were recorded)."""
        wanted = [keys.client_profile(client_id), keys.client_assignment(client_id)]
        if advisor_id is not None:
            wanted.append(keys.advisor_profile(advisor_id))
        found = self._table.found(wanted)
        client = pick(found, keys.client_profile(client_id))
        current = pick(found, keys.client_assignment(client_id))
        target = pick(found, keys.advisor_profile(advisor_id)) if advisor_id else None
        record = assignment_of(current) if current else None
        if record is not None and record.advisor_id is not None and record.credit is None:
            record = self._with_credit(record, client_id)
        return AssignmentState(
            client=profile_of(client) if client else None,
            current=record,
            target=advisor_of(target) if target else None,
        )

    def _with_credit(self, record: AssignmentRecord, client_id: str) -> AssignmentRecord:
        assert record.advisor_id is not None
        copies = self._table.batch_get([keys.membership(record.advisor_id, client_id)])
        return AssignmentRecord(
            advisor_id=record.advisor_id,
            previous_advisor_id=record.previous_advisor_id,
            changed_at=record.changed_at,
            version=record.version,
            credit=credit_of(next(copies, None)),
        )

    def move(self, move: Move) -> None:
        """PUT and DELETE /clients/{id}/advisor: one TransactWriteItems of up to nine items."""
        client_id = move.client.client_id
        advisor_id = move.joins.advisor_id if move.joins else None
        actions = [
            ("assignment", _put_assignment(move)),
            ("client", mark_profile(move.client, advisor_id)),
            *mark_name_entries(move.client, advisor_id),
        ]
        if move.joins is not None:
            actions += [
                ("advisor", _take_seat(move.joins, move.client, move.fills_up)),
                ("membership", _put_copy(move.joins.advisor_id, move.client)),
            ]
        if move.leaves is not None:
            actions += [
                ("previous_advisor", _free_seat(move.leaves, move.credit, move.reopens)),
                ("previous_membership", _remove_copy(move.leaves, client_id, move.credit)),
            ]
        actions.append(("history", _put_event(move)))
        self._table.transact(actions)


def credit_fields(client: ClientProfile) -> dict[str, Any]:
    """The assignment's record of what its advisor was credited: the copy it holds."""
    return {"credited_total": client.total_value, "credited_revision": client.revision}


def check_profile(client: ClientProfile) -> Action:
    """The client's profile is still the one read, so the totals copied from it are exact."""
    return {
        "ConditionCheck": {
            "Key": to_wire(keys.client_profile(client.client_id)),
            **condition("revision = :revision", revision=client.revision),
        }
    }


def _put_assignment(move: Move) -> Action:
    """The client's assignment, one version on, guarded on the version read (on the advisor
    for a record from before versions; on its absence for a client never assigned)."""
    read = move.read
    record: dict[str, Any] = {
        **keys.client_assignment(move.client.client_id),
        "client_id": move.client.client_id,
        "previous_advisor_id": move.leaves,
        "changed_at": move.at,
        "version": move.version,
    }
    if move.joins is not None:
        record.update(advisor_id=move.joins.advisor_id, **credit_fields(move.client))
    return {"Put": {"Item": to_wire(record), **assignment_as_read(read)}}


def assignment_as_read(read: AssignmentRecord | None) -> dict[str, Any]:
    """The condition that a client's assignment is still the one read: its version (its
    advisor for a record from before versions; its absence for a client never assigned)."""
    if read is None:
        return condition(ABSENT)
    if read.version is None:
        return condition("attribute_not_exists(version) AND advisor_id = :was", was=read.advisor_id)
    return condition("version = :version", version=read.version)


def mark_profile(client: ClientProfile, advisor_id: str | None) -> Action:
    """The profile's copy of the client's advisor, with its entry in the client directory
    and, while it has no advisor, in the unassigned index; on the profile that was read, so
    every copy taken from it is exact."""
    directory = keys.client_directory_index(client.client_id)
    values: dict[str, Any] = {"revision": client.revision, "all": directory[keys.GSI2_PK]}
    listed = f"{keys.GSI2_PK} = :all, {keys.GSI2_SK} = :client_id"
    if advisor_id is None:
        values.update(unassigned=keys.UNASSIGNED, client_id=client.client_id)
        update = (
            f"SET {listed}, {keys.GSI1_PK} = :unassigned, {keys.GSI1_SK} = :client_id "
            "REMOVE advisor_id"
        )
    else:
        values.update(advisor=advisor_id, client_id=client.client_id)
        update = f"SET {listed}, advisor_id = :advisor REMOVE {keys.GSI1_PK}, {keys.GSI1_SK}"
    return {
        "Update": {
            "Key": to_wire(keys.client_profile(client.client_id)),
            "UpdateExpression": update,
            **condition("revision = :revision", **values),
        }
    }


def mark_name_entries(client: ClientProfile, advisor_id: str | None) -> list[tuple[str, Action]]:
    """The copy of the client's advisor on its name entries, which exist once its profile was
    stored with them (an earlier release stored none: nothing to mark)."""
    if not client.named:
        return []
    update = "SET advisor_id = :advisor" if advisor_id else "REMOVE advisor_id"
    values = {"advisor": advisor_id} if advisor_id else {}
    return [
        (
            f"name_{part.lower()}",
            {
                "Update": {
                    "Key": to_wire(keys.name_entry(client.client_id, part)),
                    "UpdateExpression": update,
                    **condition(PRESENT, **values),
                }
            },
        )
        for part in (keys.FIRST, keys.LAST)
    ]


def _take_seat(advisor: Advisor, client: ClientProfile, fills_up: bool) -> Action:
    """The new advisor gains the client and its total, only if its count and terms are still
    the ones the decision read; the client that takes the last seat takes it out of the
    availability index."""
    update = "SET client_count = client_count + :one, total_assets = total_assets + :total"
    if fills_up:
        update += f" REMOVE {keys.GSI1_PK}, {keys.GSI1_SK}"
    terms = (
        "#capacity = :capacity"
        if advisor.capacity is not None
        else "attribute_not_exists(#capacity)"
    )
    guard = condition(
        f"client_count = :seen AND accepting_new_clients = :yes AND {terms}",
        one=1,
        total=client.total_value,
        seen=advisor.client_count,
        yes=True,
        **({"capacity": advisor.capacity} if advisor.capacity is not None else {}),
    )
    return {
        "Update": {
            "Key": to_wire(keys.advisor_profile(advisor.advisor_id)),
            "UpdateExpression": update,
            "ExpressionAttributeNames": {"#capacity": "capacity"},
            **guard,
        }
    }


def _put_copy(advisor_id: str, client: ClientProfile) -> Action:
    """The client's copy under its new advisor, which must not hold one already."""
    item = {**keys.membership(advisor_id, client.client_id), **client.copy()}
    return {"Put": {"Item": to_wire(item), **condition(ABSENT)}}


def _free_seat(advisor_id: str, credit: Credit, reopens: bool) -> Action:
    """The previous advisor loses the client and exactly what it was credited for it. Whether
    it becomes available again is a guess (`reopens`) stated as the condition: a wrong guess
    fails this item alone."""
    update = "SET client_count = client_count - :one, total_assets = total_assets - :total"
    values: dict[str, Any] = {"one": 1, "total": credit.total, "yes": True}
    if reopens:
        index = keys.availability_index(advisor_id)
        update += f", {keys.GSI1_PK} = :available, {keys.GSI1_SK} = :advisor_id"
        values.update(available=index[keys.GSI1_PK], advisor_id=index[keys.GSI1_SK])
    expected = _AVAILABLE_ONCE_LEFT if reopens else f"NOT ({_AVAILABLE_ONCE_LEFT})"
    return {
        "Update": {
            "Key": to_wire(keys.advisor_profile(advisor_id)),
            "UpdateExpression": update,
            "ExpressionAttributeNames": {"#capacity": "capacity"},
            **condition(expected, **values),
        }
    }


def _remove_copy(advisor_id: str, client_id: str, credit: Credit) -> Action:
    """The copy under the previous advisor, if it is the one that was credited and no other:
    a membership sync that changed the copy since the read changed the credit too."""
    if credit.revision is None:
        guard = condition(ABSENT)
    else:
        guard = condition("revision = :credited", credited=credit.revision)
    return {"Delete": {"Key": to_wire(keys.membership(advisor_id, client_id)), **guard}}


def _put_event(move: Move) -> Action:
    """The change in the client's history, keyed by its time and id: also the outbox record of
    its event (`keys.EVENT_TYPE` and the event's other attributes), published from the stream."""
    event = move.event()
    item = {
        **keys.history_event(move.client.client_id, move.at, move.event_id),
        "at": move.at,
        **event.model_dump(mode="json", exclude_none=True),
    }
    return {"Put": {"Item": to_wire(item), **condition(ABSENT)}}
