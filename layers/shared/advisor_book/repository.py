"""The only module that talks to DynamoDB.

It speaks the domain (advisors, clients, assignments, imports), hides attribute names,
`Decimal` conversion and pagination, and turns `TransactionCanceledException` reasons into
domain errors. Every public method says which access pattern it serves and how many requests
it makes.
"""

import json
import random
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from advisor_book import attributes, keys
from advisor_book.cursors import PageKey
from advisor_book.errors import DomainError
from advisor_book.models import (
    Account,
    Advisor,
    AssignmentEvent,
    Client,
    ClientSummary,
    ImportStatus,
    SeedAdvisor,
    format_timestamp,
)

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

Item = dict[str, Any]
Wire = dict[str, Any]

BATCH_WRITE_LIMIT = 25
BATCH_GET_LIMIT = 100
MAX_BATCH_ATTEMPTS = 8
FILTERED_READ_BUDGET = 500


def to_wire(item: Mapping[str, Any]) -> Wire:
    """Python values -> DynamoDB attribute values; None means "no attribute"."""
    return {k: attributes.serialize(v) for k, v in item.items() if v is not None}


def from_wire(wire: Mapping[str, Any]) -> Item:
    return {k: attributes.deserialize(v) for k, v in wire.items()}


def _page_key(wire: Mapping[str, Any], attributes: Sequence[str]) -> PageKey:
    return {name: wire[name]["S"] for name in attributes}


def _start_key(key: PageKey | None) -> dict[str, Any]:
    return {"ExclusiveStartKey": {k: {"S": v} for k, v in key.items()}} if key else {}


def _backoff(attempt: int, base: float = 0.02, cap: float = 1.0) -> None:
    """Exponential backoff with full jitter."""
    time.sleep(random.uniform(0, min(cap, base * 2**attempt)))  # noqa: S311


class LeaseLostError(Exception):
    """Another invocation took this import over (this one stalled past its lease): stop."""


@dataclass(frozen=True)
class ImportProgress:
    """A claimed import: its status so far, whether its structure was already checked, and how
    many invocations took it before this one since it was last handed on (paused) and never
    finished or paused it: each of them died, ran out of time or raised."""

    status: ImportStatus
    checked: bool
    unfinished_attempts: int = 0


class StaleReadError(DomainError):
    """A transaction's conditions no longer hold: re-read and try again.

    `failed` names the transaction items whose condition failed, so the caller can tell a
    wrong guess about one item from a concurrent change.
    """

    def __init__(self, failed: frozenset[str]) -> None:
        super().__init__("the data changed while the request was being served")
        self.failed = failed


def _advisor(item: Item) -> Advisor:
    return Advisor(
        advisor_id=item["advisor_id"],
        name=item["name"],
        focus_areas=item["focus_areas"],
        client_count=int(item["client_count"]),
        capacity=int(item["capacity"]) if "capacity" in item else None,
        accepting_new_clients=item["accepting_new_clients"],
        total_assets=item["total_assets"],
    )


def _client_summary(item: Item) -> ClientSummary:
    return ClientSummary(
        client_id=item["client_id"],
        first_name=item["first_name"],
        last_name=item["last_name"],
        total_value=item["total_value"],
        account_count=int(item["account_count"]),
    )


def _import_status(item: Item) -> ImportStatus:
    return ImportStatus.model_validate(
        {
            **{k: item[k] for k in ("import_id", "bucket", "key", "status", "started_at")},
            "advisors_upserted": int(item["advisors_upserted"]),
            "clients_upserted": int(item["clients_upserted"]),
            "rejected": int(item["rejected"]),
            "errors": item.get("errors", []),
            "records_done": int(item.get("records_done", 0)),
            "finished_at": item.get("finished_at"),
        }
    )


@dataclass(frozen=True)
class ClientProfile:
    """What an assignment copies from a client into its advisor's partition."""

    client_id: str
    first_name: str
    last_name: str
    total_value: Decimal
    account_count: int
    revision: str

    def membership_copy(self) -> Item:
        return {
            "client_id": self.client_id,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "total_value": self.total_value,
            "account_count": self.account_count,
            "revision": self.revision,
        }


@dataclass(frozen=True)
class Credit:
    """What a client's advisor was credited for it: the total and revision of the membership
    copy. A move takes off exactly this, never the profile's current total, which an import
    may already have changed before its membership sync brings the copy in step."""

    total: Decimal
    revision: str | None  # None: no copy (an earlier release left none); nothing to take off


NO_COPY = Credit(Decimal(0), None)


@dataclass(frozen=True)
class AssignmentRecord:
    """A client's `#ASSIGNMENT` item: its advisor (None once unassigned), its latest change,
    and what that advisor was credited (kept in step with the membership copy by every move
    and every membership sync, in the same transaction).

    Every change bumps `version` and is guarded on the one read, so a change decided on a read
    that others have since overtaken fails even when they have put the same advisor back
    (A to B to A). That keeps the history in commit order. Items written before versions
    existed have none; they are guarded on the advisor instead. Items written before credits
    existed have none; the credit is then read from the membership copy itself.
    """

    advisor_id: str | None
    previous_advisor_id: str | None
    changed_at: str
    version: int | None
    credit: Credit | None = None


@dataclass(frozen=True)
class AssignmentState:
    """One consistent read of everything an assignment decides on."""

    client: ClientProfile | None
    current: AssignmentRecord | None
    target: Advisor | None


@dataclass(frozen=True)
class Move:
    """A change of a client's advisor: assign (from None), reassign, or unassign (to None),
    decided on `read`, the client's assignment record as read (None: never assigned)."""

    client: ClientProfile
    read: AssignmentRecord | None
    target: Advisor | None
    at: str
    event_id: str
    previous_reopens: bool = True

    @property
    def previous_advisor_id(self) -> str | None:
        return self.read.advisor_id if self.read else None


@dataclass
class ClientWrite:
    """A client profile as the ingest writes it, with its revision for change detection."""

    profile: ClientProfile
    accounts: list[Account] = field(default_factory=list)

    def item(self) -> Item:
        return {
            **keys.client_profile(self.profile.client_id),
            **self.profile.membership_copy(),
            "accounts": accounts_document(self.accounts),
        }


def accounts_document(accounts: Sequence[Account]) -> str:
    """A client's accounts as one JSON string attribute, values as exact decimal strings.

    They are only ever read and replaced together, and one string costs far less to encode,
    send and store-process than a list of maps (a typed node per field of every account).
    """
    return json.dumps(
        [{"account_id": a.account_id, "type": a.type, "value": str(a.value)} for a in accounts],
        separators=(",", ":"),
    )


def read_accounts(stored: str | list[dict[str, Any]]) -> list[Account]:
    """The accounts of a stored profile: the JSON string, or a list of maps as written by
    earlier versions (still read, so nothing already stored needs migrating)."""
    records = json.loads(stored, parse_float=Decimal) if isinstance(stored, str) else stored
    return [Account.model_validate(record) for record in records]


def _assignment_record(item: Item) -> AssignmentRecord:
    credited = "credited_revision" in item
    return AssignmentRecord(
        advisor_id=item.get("advisor_id"),
        previous_advisor_id=item.get("previous_advisor_id"),
        changed_at=item.get("changed_at") or item["assigned_at"],
        version=int(item["version"]) if "version" in item else None,
        credit=Credit(item["credited_total"], item["credited_revision"]) if credited else None,
    )


def _credited_copy(credit: Credit) -> dict[str, Any]:
    """The condition that a membership copy is the one credited, and no other: a membership
    sync that changed the copy since it was read changed the credit too."""
    if credit.revision is None:
        return {"ConditionExpression": "attribute_not_exists(PK)"}
    return {
        "ConditionExpression": "revision = :credited",
        "ExpressionAttributeValues": {":credited": {"S": credit.revision}},
    }


def _credit_fields(client: ClientProfile) -> Item:
    """The assignment item's record of what its advisor was credited for the client."""
    return {"credited_total": client.total_value, "credited_revision": client.revision}


def _profile(item: Item) -> ClientProfile:
    return ClientProfile(
        client_id=item["client_id"],
        first_name=item["first_name"],
        last_name=item["last_name"],
        total_value=item["total_value"],
        account_count=int(item["account_count"]),
        revision=item["revision"],
    )


class BookRepository:
    """DynamoDB access for the whole book, over one table."""

    def __init__(self, client: "DynamoDBClient", table_name: str) -> None:
        self._db = client
        self._table = table_name

    # --- advisors ---------------------------------------------------------------------

    def get_advisor(self, advisor_id: str) -> Advisor | None:
        """GET /advisors/{id}: one consistent GetItem of the advisor profile."""
        response = self._db.get_item(
            TableName=self._table,
            Key=to_wire(keys.advisor_profile(advisor_id)),
            ConsistentRead=True,
        )
        return _advisor(from_wire(response["Item"])) if "Item" in response else None

    def list_advisors(
        self,
        *,
        include_unavailable: bool,
        focus_area: str | None,
        limit: int,
        start: PageKey | None,
    ) -> tuple[list[Advisor], PageKey | None]:
        """GET /advisors: one Query of GSI1 (available only, sparse) or GSI2 (every advisor).

        In advisor id order. A focus area is matched case-insensitively by a filter, so that
        query reads up to FILTERED_READ_BUDGET advisors to fill the page in one request.
        """
        index, pk, sk = (
            (keys.GSI2, keys.GSI2_PK, keys.ALL_ADVISORS)
            if include_unavailable
            else (keys.GSI1, keys.GSI1_PK, keys.AVAILABLE)
        )
        key_names = [keys.PK, keys.SK, pk, keys.GSI2_SK if include_unavailable else keys.GSI1_SK]
        request: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": index,
            "KeyConditionExpression": "#pk = :pk",
            "ExpressionAttributeNames": {"#pk": pk},
            "ExpressionAttributeValues": {":pk": {"S": sk}},
            "Limit": limit + 1,
            **_start_key(start),
        }
        if focus_area is not None:
            request["FilterExpression"] = "contains(focus_keys, :focus)"
            request["ExpressionAttributeValues"][":focus"] = {"S": focus_area.casefold()}
            request["Limit"] = max(limit + 1, FILTERED_READ_BUDGET)
        return self._page(request, limit, key_names, _advisor)

    def advisor_clients(
        self, advisor_id: str, *, limit: int, start: PageKey | None
    ) -> tuple[list[ClientSummary], PageKey | None] | None:
        """GET /advisors/{id}/clients: one strongly consistent Query of the advisor's partition.

        The profile sorts first, so the first page also proves the advisor exists (None if
        not). Clients come in client id order with the totals copied at assignment.
        """
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "PK = :pk",
            "ExpressionAttributeValues": {":pk": {"S": keys.advisor_pk(advisor_id)}},
            "ConsistentRead": True,
            "Limit": limit + (1 if start else 2),
            **_start_key(start),
        }
        response = self._db.query(**request)
        wires = response["Items"]
        if start is None:
            if not wires or wires[0][keys.SK]["S"] != keys.PROFILE:
                return None
            wires = wires[1:]
        more = len(wires) > limit or "LastEvaluatedKey" in response
        page = wires[:limit]
        next_key = _page_key(page[-1], [keys.PK, keys.SK]) if more and page else None
        return [_client_summary(from_wire(w)) for w in page], next_key

    # --- clients ----------------------------------------------------------------------

    def get_client(self, client_id: str) -> Client | None:
        """GET /clients/{id}: one consistent Query of the client's singletons: the profile
        (accounts embedded) and, if assigned, the current assignment."""
        response = self._db.query(
            TableName=self._table,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :singleton)",
            ExpressionAttributeValues={
                ":pk": {"S": keys.client_pk(client_id)},
                ":singleton": {"S": keys.SINGLETON_PREFIX},
            },
            ConsistentRead=True,
        )
        items = {w[keys.SK]["S"]: from_wire(w) for w in response["Items"]}
        profile = items.get(keys.PROFILE)
        if profile is None:
            return None
        assignment = items.get(keys.ASSIGNMENT)
        return Client(
            client_id=profile["client_id"],
            first_name=profile["first_name"],
            last_name=profile["last_name"],
            advisor_id=assignment.get("advisor_id") if assignment else None,
            total_value=profile["total_value"],
            accounts=read_accounts(profile["accounts"]),
        )

    def assignment_history(
        self, client_id: str, *, limit: int, start: PageKey | None
    ) -> tuple[list[AssignmentEvent], PageKey | None] | None:
        """GET /clients/{id}/assignments: one consistent Query of the client's partition,
        newest first. History sorts after the singletons, so they come only past the oldest
        event: seeing one ends the history, and a partition with neither means no client."""
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "PK = :pk",
            "ExpressionAttributeValues": {":pk": {"S": keys.client_pk(client_id)}},
            "ScanIndexForward": False,
            "ConsistentRead": True,
            "Limit": limit + 1,
            **_start_key(start),
        }
        response = self._db.query(**request)
        wires = response["Items"]
        if start is None and not wires:
            return None
        events = [w for w in wires if w[keys.SK]["S"].startswith(keys.HISTORY_PREFIX)]
        page = events[:limit]
        ended = len(events) < len(wires)
        if len(events) > limit:
            next_key: PageKey | None = _page_key(page[-1], [keys.PK, keys.SK])
        elif not ended and "LastEvaluatedKey" in response:
            next_key = {k: v["S"] for k, v in response["LastEvaluatedKey"].items()}
        else:
            next_key = None
        return [AssignmentEvent.model_validate(from_wire(w)) for w in page], next_key

    # --- assignments ------------------------------------------------------------------

    def assignment_state(self, client_id: str, advisor_id: str | None) -> AssignmentState:
        """One consistent BatchGetItem: client profile, current assignment, target advisor."""
        wanted = [keys.client_profile(client_id), keys.client_assignment(client_id)]
        if advisor_id is not None:
            wanted.append(keys.advisor_profile(advisor_id))
        found = {(i[keys.PK], i[keys.SK]): i for i in self._batch_get(wanted, consistent=True)}

        def pick(key: keys.Key) -> Item | None:
            return found.get((key[keys.PK], key[keys.SK]))

        client = pick(keys.client_profile(client_id))
        current = pick(keys.client_assignment(client_id))
        target = pick(keys.advisor_profile(advisor_id)) if advisor_id is not None else None
        record = _assignment_record(current) if current else None
        if record is not None and record.advisor_id is not None and record.credit is None:
            record = replace(record, credit=self._membership_credit(record.advisor_id, client_id))
        return AssignmentState(
            client=_profile(client) if client else None,
            current=record,
            target=_advisor(target) if target else None,
        )

    def _membership_credit(self, advisor_id: str, client_id: str) -> Credit:
        """The credit of an assignment stored before credits were recorded on it: one more
        consistent read, of the membership copy itself."""
        found = list(self._batch_get([keys.membership(advisor_id, client_id)], consistent=True))
        if not found:
            return NO_COPY
        return Credit(found[0]["total_value"], found[0]["revision"])

    def move_client(self, move: Move) -> None:
        """PUT and DELETE /clients/{id}/advisor: one TransactWriteItems.

        Items: the client's assignment, a check that the client's profile is the one read,
        the new advisor (count, assets, availability; guarded by the count and capacity read)
        and its membership, the previous advisor and its membership, and a history event.
        `move.previous_reopens` guesses whether the previous advisor becomes available again;
        a wrong guess fails only that item's condition, and the caller flips it.
        """
        client_id = move.client.client_id
        names: list[str] = []
        actions: list[Any] = []

        def add(name: str, action: dict[str, Any]) -> None:
            names.append(name)
            actions.append(action)

        read = move.read
        if read is None:
            guard: dict[str, Any] = {"ConditionExpression": "attribute_not_exists(PK)"}
        elif read.version is None:
            guard = {
                "ConditionExpression": "attribute_not_exists(version) AND advisor_id = :was",
                "ExpressionAttributeValues": {":was": {"S": read.advisor_id}},
            }
        else:
            guard = {
                "ConditionExpression": "version = :version",
                "ExpressionAttributeValues": {":version": {"N": str(read.version)}},
            }
        record: Item = {
            **keys.client_assignment(client_id),
            "client_id": client_id,
            "previous_advisor_id": move.previous_advisor_id,
            "changed_at": move.at,
            "version": (read.version or 0) + 1 if read else 1,
        }
        if move.target is not None:
            record.update(advisor_id=move.target.advisor_id, **_credit_fields(move.client))
        add("assignment", {"Put": {"TableName": self._table, "Item": to_wire(record), **guard}})
        add(
            "client",
            {
                "ConditionCheck": {
                    "TableName": self._table,
                    "Key": to_wire(keys.client_profile(client_id)),
                    "ConditionExpression": "revision = :revision",
                    "ExpressionAttributeValues": {":revision": {"S": move.client.revision}},
                }
            },
        )
        total = {"N": str(move.client.total_value)}
        if move.target is not None:
            target = move.target
            fills_up = target.capacity is not None and target.client_count + 1 >= target.capacity
            capacity_guard = (
                "#capacity = :capacity"
                if target.capacity is not None
                else "attribute_not_exists(#capacity)"
            )
            values: dict[str, Any] = {
                ":one": {"N": "1"},
                ":total": total,
                ":seen": {"N": str(target.client_count)},
                ":yes": {"BOOL": True},
            }
            if target.capacity is not None:
                values[":capacity"] = {"N": str(target.capacity)}
            add(
                "advisor",
                {
                    "Update": {
                        "TableName": self._table,
                        "Key": to_wire(keys.advisor_profile(target.advisor_id)),
                        "UpdateExpression": "SET client_count = client_count + :one, "
                        "total_assets = total_assets + :total"
                        + (" REMOVE GSI1PK, GSI1SK" if fills_up else ""),
                        "ConditionExpression": "client_count = :seen AND "
                        f"accepting_new_clients = :yes AND {capacity_guard}",
                        "ExpressionAttributeNames": {"#capacity": "capacity"},
                        "ExpressionAttributeValues": values,
                    }
                },
            )
            add(
                "membership",
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": to_wire(
                            {
                                **keys.membership(target.advisor_id, client_id),
                                **move.client.membership_copy(),
                            }
                        ),
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
            )
        if move.previous_advisor_id is not None:
            previous = move.previous_advisor_id
            credit = (read.credit if read else None) or NO_COPY
            reopens = (
                "accepting_new_clients = :yes AND "
                "(attribute_not_exists(#capacity) OR client_count <= #capacity)"
            )
            update = "SET client_count = client_count - :one, total_assets = total_assets - :total"
            values = {
                ":one": {"N": "1"},
                ":total": {"N": str(credit.total)},
                ":yes": {"BOOL": True},
            }
            if move.previous_reopens:
                update += ", GSI1PK = :available, GSI1SK = :advisor_id"
                values[":available"] = {"S": keys.AVAILABLE}
                values[":advisor_id"] = {"S": previous}
            add(
                "previous_advisor",
                {
                    "Update": {
                        "TableName": self._table,
                        "Key": to_wire(keys.advisor_profile(previous)),
                        "UpdateExpression": update,
                        "ConditionExpression": reopens
                        if move.previous_reopens
                        else f"NOT ({reopens})",
                        "ExpressionAttributeNames": {"#capacity": "capacity"},
                        "ExpressionAttributeValues": values,
                    }
                },
            )
            add(
                "previous_membership",
                {
                    "Delete": {
                        "TableName": self._table,
                        "Key": to_wire(keys.membership(previous, client_id)),
                        **_credited_copy(credit),
                    }
                },
            )
        add(
            "history",
            {
                "Put": {
                    "TableName": self._table,
                    "Item": to_wire(
                        {
                            **keys.history_event(client_id, move.at, move.event_id),
                            "event_id": move.event_id,
                            "client_id": client_id,
                            "previous_advisor_id": move.previous_advisor_id,
                            "advisor_id": move.target.advisor_id if move.target else None,
                            "at": move.at,
                        }
                    ),
                    "ConditionExpression": "attribute_not_exists(PK)",
                }
            },
        )
        self._transact(actions, names)

    # --- ingest -----------------------------------------------------------------------

    def upsert_advisors(self, records: Sequence[SeedAdvisor]) -> None:
        """Create or update advisors from the seed file, keeping their clients and counters.

        The stored advisors are read together (BatchGetItem, 100 a request); each one that
        changes is then one PutItem guarded by the counters read, so availability (the sparse
        GSI1 key) is computed from them. A guard that fails (an assignment in between) re-reads
        that advisor alone and tries again.
        """
        stored = {
            advisor.advisor_id: advisor
            for advisor in map(
                _advisor,
                self._batch_get(
                    [keys.advisor_profile(r.advisor_id) for r in records], consistent=True
                ),
            )
        }
        for record in records:
            self._upsert_advisor(record, stored.get(record.advisor_id))

    def _upsert_advisor(self, record: SeedAdvisor, existing: Advisor | None) -> None:
        advisor_id = record.advisor_id
        for attempt in range(MAX_BATCH_ATTEMPTS):
            if attempt:
                response = self._db.get_item(
                    TableName=self._table,
                    Key=to_wire(keys.advisor_profile(advisor_id)),
                    ConsistentRead=True,
                )
                existing = _advisor(from_wire(response["Item"])) if "Item" in response else None
            desired = Advisor(
                advisor_id=advisor_id,
                name=record.name,
                focus_areas=list(record.focus_areas),
                capacity=record.capacity,
                accepting_new_clients=record.accepting_new_clients,
                client_count=existing.client_count if existing else 0,
                total_assets=existing.total_assets if existing else Decimal(0),
            )
            if existing == desired:
                return
            item = {
                **keys.advisor_profile(advisor_id),
                **keys.advisor_directory_index(advisor_id),
                **(keys.availability_index(advisor_id) if desired.available else {}),
                **desired.model_dump(),
                "focus_keys": [area.casefold() for area in desired.focus_areas],
            }
            guard: dict[str, Any] = (
                {
                    "ConditionExpression": "client_count = :seen AND total_assets = :assets",
                    "ExpressionAttributeValues": {
                        ":seen": {"N": str(desired.client_count)},
                        ":assets": {"N": str(desired.total_assets)},
                    },
                }
                if existing
                else {"ConditionExpression": "attribute_not_exists(PK)"}
            )
            try:
                self._db.put_item(TableName=self._table, Item=to_wire(item), **guard)
                return
            except ClientError as error:
                if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                    raise
                _backoff(attempt)
        raise StaleReadError(frozenset({"advisor"}))

    def client_revisions(self, client_ids: Iterable[str]) -> dict[str, str]:
        """The stored revision of each client that exists: BatchGetItem, 100 keys a request."""
        wanted = [keys.client_profile(c) for c in client_ids]
        return {
            item["client_id"]: item["revision"]
            for item in self._batch_get(wanted, consistent=True, projection="client_id, revision")
        }

    def put_clients(self, writes: Sequence[ClientWrite]) -> None:
        """Write client profiles in BatchWriteItem batches of 25.

        A profile never holds the assignment, so a blind put cannot undo one; the caller
        then brings the copies of assigned clients in step with `sync_memberships`.
        """
        self._batch_write([to_wire(w.item()) for w in writes])

    def sync_memberships(self, client_ids: Sequence[str]) -> int:
        """Bring each assigned client's membership copy and its advisor's total_assets in step
        with the client's profile. Returns how many memberships changed.

        Reads in batches (assignments, then profiles and memberships); each copy that differs
        is fixed by one transaction guarded on all three items, re-read on a race.
        """
        assignments = {
            item["client_id"]: item["advisor_id"]
            for item in self._batch_get(
                [keys.client_assignment(c) for c in client_ids], consistent=True
            )
            if item.get("advisor_id") is not None
        }
        changed = 0
        for client_id, advisor_id in assignments.items():
            if self._sync_membership(client_id, advisor_id):
                changed += 1
        return changed

    def _sync_membership(self, client_id: str, advisor_id: str) -> bool:
        for attempt in range(MAX_BATCH_ATTEMPTS):
            found = {
                (i[keys.PK], i[keys.SK]): i
                for i in self._batch_get(
                    [
                        keys.client_profile(client_id),
                        keys.client_assignment(client_id),
                        keys.membership(advisor_id, client_id),
                    ],
                    consistent=True,
                )
            }
            profile_key = keys.client_profile(client_id)
            profile = found.get((profile_key[keys.PK], profile_key[keys.SK]))
            assignment_key = keys.client_assignment(client_id)
            assignment = found.get((assignment_key[keys.PK], assignment_key[keys.SK]))
            member_key = keys.membership(advisor_id, client_id)
            member = found.get((member_key[keys.PK], member_key[keys.SK]))
            if profile is None or assignment is None or member is None:
                return False
            now_with = assignment.get("advisor_id")
            if now_with is None:
                return False
            if now_with != advisor_id:
                advisor_id = now_with
                continue
            if member["revision"] == profile["revision"]:
                return False
            current = _profile(profile)
            delta = current.total_value - member["total_value"]
            try:
                self._transact(
                    [
                        {
                            "Put": {
                                "TableName": self._table,
                                "Item": to_wire({**member_key, **current.membership_copy()}),
                                "ConditionExpression": "revision = :old",
                                "ExpressionAttributeValues": {":old": {"S": member["revision"]}},
                            }
                        },
                        {
                            "Update": {
                                "TableName": self._table,
                                "Key": to_wire(keys.advisor_profile(advisor_id)),
                                "UpdateExpression": "SET total_assets = total_assets + :delta",
                                "ConditionExpression": "attribute_exists(PK)",
                                "ExpressionAttributeValues": {":delta": {"N": str(delta)}},
                            }
                        },
                        {
                            "Update": {
                                "TableName": self._table,
                                "Key": to_wire(assignment_key),
                                "UpdateExpression": "SET credited_total = :total, "
                                "credited_revision = :revision",
                                "ConditionExpression": "advisor_id = :advisor",
                                "ExpressionAttributeValues": {
                                    ":advisor": {"S": advisor_id},
                                    ":total": {"N": str(current.total_value)},
                                    ":revision": {"S": current.revision},
                                },
                            }
                        },
                        {
                            "ConditionCheck": {
                                "TableName": self._table,
                                "Key": to_wire(profile_key),
                                "ConditionExpression": "revision = :revision",
                                "ExpressionAttributeValues": {":revision": {"S": current.revision}},
                            }
                        },
                    ],
                    ["membership", "advisor", "assignment", "client"],
                )
                return True
            except StaleReadError:
                _backoff(attempt)
        raise StaleReadError(frozenset({"membership"}))

    # --- imports ----------------------------------------------------------------------

    def claim_import(
        self, fresh: ImportStatus, *, owner: str, now: datetime, lease_until: datetime
    ) -> "ImportProgress | None":
        """Take the lease on an import: a new one is created; an unfinished one is taken over
        by the same owner (a retry) or once its lease has expired. None if another invocation
        holds it or it has finished: this delivery is a duplicate. Each claim is counted in
        `attempts`, which a pause sets back to zero."""
        lease = {"lease_owner": owner, "lease_until": format_timestamp(lease_until)}
        item = {
            **self._new_import(fresh),
            **lease,
            "checked": False,
            "attempts": 1,
        }
        try:
            self._db.put_item(
                TableName=self._table,
                Item=to_wire(item),
                ConditionExpression="attribute_not_exists(PK)",
            )
            return ImportProgress(status=fresh, checked=False)
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
        try:
            response = self._db.update_item(
                TableName=self._table,
                Key=to_wire(keys.import_status(fresh.import_id)),
                UpdateExpression="SET lease_owner = :owner, lease_until = :until ADD attempts :one",
                ConditionExpression="#status = :running AND "
                "(lease_owner = :owner OR lease_until < :now)",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={
                    ":owner": {"S": owner},
                    ":until": {"S": lease["lease_until"]},
                    ":now": {"S": format_timestamp(now)},
                    ":running": {"S": "IN_PROGRESS"},
                    ":one": {"N": "1"},
                },
                ReturnValues="ALL_NEW",
            )
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            return None
        stored = from_wire(response["Attributes"])
        return ImportProgress(
            status=_import_status(stored),
            checked=bool(stored.get("checked")),
            unfinished_attempts=int(stored["attempts"]) - 1,
        )

    @staticmethod
    def _new_import(status: ImportStatus) -> Item:
        return {
            **keys.import_status(status.import_id),
            **keys.import_indexes(
                status.key, format_timestamp(status.started_at), status.import_id
            ),
            **status.model_dump(mode="json"),
        }

    def save_progress(
        self,
        status: ImportStatus,
        *,
        owner: str,
        lease_until: datetime | None,
        checked: bool | None = None,
    ) -> None:
        """Checkpoint an import and renew the lease, or (None) hand it on at once: a pause,
        after which no earlier attempt counts as unfinished."""
        until = "" if lease_until is None else format_timestamp(lease_until)
        extra: dict[str, Any] = {"lease_until": until}
        if lease_until is None:
            extra["attempts"] = 0
        if checked is not None:
            extra["checked"] = checked
        self._update_import(status, owner, set_extra=extra)

    def finish_import(self, status: ImportStatus, *, owner: str) -> None:
        """Store an import's outcome and drop its lease."""
        self._update_import(status, owner, remove=("lease_owner", "lease_until"))

    def release_import(self, import_id: str, *, owner: str) -> None:
        """Let a retry take the import over at once (after an error in this invocation)."""
        try:
            self._db.update_item(
                TableName=self._table,
                Key=to_wire(keys.import_status(import_id)),
                UpdateExpression="SET lease_until = :gone",
                ConditionExpression="lease_owner = :owner",
                ExpressionAttributeValues={":gone": {"S": ""}, ":owner": {"S": owner}},
            )
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise

    def fail_import(
        self, failed: ImportStatus, *, failed_owners: Sequence[str], now: datetime, new: bool
    ) -> bool:
        """Store the FAILED outcome of an import whose every attempt failed: created when none
        of them got as far as claiming it (`new`), else only while it is still in progress and
        held by one of `failed_owners` or by nobody alive (its lease given up or expired).
        False if it finished, or if another invocation holds it now. One request (two when a
        claim created it meanwhile)."""
        if new:
            try:
                self._db.put_item(
                    TableName=self._table,
                    Item=to_wire(self._new_import(failed)),
                    ConditionExpression="attribute_not_exists(PK)",
                )
                return True
            except ClientError as error:
                if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                    raise
        owners = {f":owner{n}": {"S": owner} for n, owner in enumerate(failed_owners)}
        held_by_failed = f"lease_owner IN ({', '.join(owners)}) OR " if owners else ""
        return self._write_status(
            failed,
            condition=f"#status = :running AND ({held_by_failed}"
            "attribute_not_exists(lease_owner) OR lease_until < :now)",
            values={
                ":running": {"S": "IN_PROGRESS"},
                ":now": {"S": format_timestamp(now)},
                **owners,
            },
            remove=("lease_owner", "lease_until"),
        )

    def _update_import(
        self,
        status: ImportStatus,
        owner: str,
        set_extra: Mapping[str, Any] | None = None,
        remove: Sequence[str] = (),
    ) -> None:
        """Write an import's status while `owner` holds it; LeaseLostError once it does not."""
        held = self._write_status(
            status,
            condition="lease_owner = :lease_owner",
            values={":lease_owner": {"S": owner}},
            set_extra=set_extra,
            remove=remove,
        )
        if not held:
            raise LeaseLostError(status.import_id)

    def _write_status(
        self,
        status: ImportStatus,
        *,
        condition: str,
        values: Mapping[str, Any],
        set_extra: Mapping[str, Any] | None = None,
        remove: Sequence[str] = (),
    ) -> bool:
        """One conditional UpdateItem of an import's status; False if the condition failed."""
        fields = {
            **status.model_dump(mode="json", exclude={"import_id", "bucket", "key", "started_at"}),
            **(set_extra or {}),
        }
        expression = "SET " + ", ".join(f"#{name} = :{name}" for name in fields)
        if remove:
            expression += " REMOVE " + ", ".join(remove)
        try:
            self._db.update_item(
                TableName=self._table,
                Key=to_wire(keys.import_status(status.import_id)),
                UpdateExpression=expression,
                ConditionExpression=condition,
                ExpressionAttributeNames={f"#{name}": name for name in fields},
                ExpressionAttributeValues={
                    **values,
                    **{f":{name}": attributes.serialize(value) for name, value in fields.items()},
                },
            )
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            return False
        return True

    def get_import(self, import_id: str) -> ImportStatus | None:
        """GET /imports/{id}: one consistent GetItem."""
        response = self._db.get_item(
            TableName=self._table, Key=to_wire(keys.import_status(import_id)), ConsistentRead=True
        )
        return _import_status(from_wire(response["Item"])) if "Item" in response else None

    def list_imports(
        self, *, key: str | None, limit: int, start: PageKey | None
    ) -> tuple[list[ImportStatus], PageKey | None]:
        """GET /imports: one Query, newest first, of GSI2 (all) or GSI1 (one S3 key)."""
        index, pk, sk, value = (
            (keys.GSI1, keys.GSI1_PK, keys.GSI1_SK, keys.imports_of_key_pk(key))
            if key is not None
            else (keys.GSI2, keys.GSI2_PK, keys.GSI2_SK, keys.ALL_IMPORTS)
        )
        request: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": index,
            "KeyConditionExpression": "#pk = :pk",
            "ExpressionAttributeNames": {"#pk": pk},
            "ExpressionAttributeValues": {":pk": {"S": value}},
            "ScanIndexForward": False,
            "Limit": limit + 1,
            **_start_key(start),
        }
        return self._page(request, limit, [keys.PK, keys.SK, pk, sk], _import_status)

    # --- plumbing ---------------------------------------------------------------------

    def _page[T](
        self, request: dict[str, Any], limit: int, key_names: Sequence[str], convert: Any
    ) -> tuple[list[T], PageKey | None]:
        """One Query that asked for more than `limit` items: the page, and where the next starts.

        Asking for one more than the page avoids handing out a token for an empty last page.
        """
        response = self._db.query(**request)
        wires = response["Items"]
        page = wires[:limit]
        if len(wires) > limit:
            next_key: PageKey | None = _page_key(page[-1], key_names)
        elif "LastEvaluatedKey" in response:
            next_key = {k: v["S"] for k, v in response["LastEvaluatedKey"].items()}
        else:
            next_key = None
        return [convert(from_wire(w)) for w in page], next_key

    def _transact(self, actions: list[Any], names: list[str]) -> None:
        try:
            self._db.transact_write_items(TransactItems=actions)
        except ClientError as error:
            if error.response["Error"]["Code"] != "TransactionCanceledException":
                raise
            reasons = error.response.get("CancellationReasons", [])
            failed = frozenset(
                name
                for name, reason in zip(names, reasons, strict=False)
                if reason.get("Code") not in (None, "None")
            )
            raise StaleReadError(failed or frozenset(names)) from error

    def _batch_get(
        self, wanted: Sequence[keys.Key], *, consistent: bool, projection: str | None = None
    ) -> Iterator[Item]:
        """BatchGetItem in chunks of 100, retrying UnprocessedKeys with backoff."""
        for start in range(0, len(wanted), BATCH_GET_LIMIT):
            request: dict[str, Any] = {
                "Keys": [to_wire(k) for k in wanted[start : start + BATCH_GET_LIMIT]],
                "ConsistentRead": consistent,
            }
            if projection:
                request["ProjectionExpression"] = projection
            pending: dict[str, Any] = {self._table: request}
            for attempt in range(MAX_BATCH_ATTEMPTS + 1):
                response = self._db.batch_get_item(RequestItems=pending)
                for wire in response["Responses"].get(self._table, []):
                    yield from_wire(wire)
                pending = response.get("UnprocessedKeys") or {}
                if not pending:
                    break
                if attempt == MAX_BATCH_ATTEMPTS:
                    raise RuntimeError("DynamoDB kept keys unprocessed after every retry")
                _backoff(attempt)

    def _batch_write(self, puts: Sequence[Wire]) -> None:
        """BatchWriteItem in batches of 25, retrying UnprocessedItems with backoff and jitter."""
        for start in range(0, len(puts), BATCH_WRITE_LIMIT):
            pending: list[Any] = [
                {"PutRequest": {"Item": item}} for item in puts[start : start + BATCH_WRITE_LIMIT]
            ]
            for attempt in range(MAX_BATCH_ATTEMPTS + 1):
                response = self._db.batch_write_item(RequestItems={self._table: pending})
                pending = list(response.get("UnprocessedItems", {}).get(self._table, []))
                if not pending:
                    break
                if attempt == MAX_BATCH_ATTEMPTS:
                    raise RuntimeError("DynamoDB kept items unprocessed after every retry")
                _backoff(attempt)
