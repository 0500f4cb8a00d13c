"""Reads a whole book table and proves its invariants, or lists every one that does not hold.

    PYTHONPATH=layers/shared python -m local.harness.checker --table <name> [--endpoint-url <url>]

The tests run it after every workload that writes (imports and assignments interleaved
included), and an operator can run it against a deployed table (it only scans and reads).
What it checks, item by item and across items:

- clients: each profile's total is the exact sum of its accounts, its names' normal forms are
  `names.normalized` of its names, it copies the advisor its assignment names, and it is in the
  client directory and, exactly while it has no advisor, in the unassigned index;
- names: each client has its two name entries, equal to its profile (names, their normal
  forms, total, revision and advisor), each in the name index under its name's normal form;
- one advisor per client: an assigned client has exactly one membership copy, under the
  advisor its assignment names, and no copy exists without that assignment;
- copies: every membership copy equals its client's profile (names, total, account count,
  revision), and the assignment's credit equals the copy;
- advisors: client_count is the number of copies, total_assets their exact sum, within capacity
  (unless told a capacity may have been lowered below a book), and the availability index and
  directory entries say exactly what the profile does;
- history: each client's changes form one chain from no advisor to its current advisor, each
  later than the one before;
- notification preferences: each belongs to an advisor whose profile exists, and names it.
- outbox: a history item that is an outbox record holds the event of its own change (its type,
  client, advisors, time and id), and an import's outbox record says what its finished status
  says (outcome and counts); history from before events, and imports finished before them,
  have none.
"""

import argparse
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import boto3

from advisor_book import keys
from advisor_book.events import ChangeEvent, assignment_event_type
from advisor_book.names import normalized
from advisor_book.store.book import read_accounts
from advisor_book.store.core import from_wire

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

Item = dict[str, Any]
COPIED = (
    "first_name",
    "last_name",
    "first_name_key",
    "last_name_key",
    "total_value",
    "account_count",
    "revision",
)
NAME_ENTRY_COPIED = (*(name for name in COPIED if name != "account_count"), "advisor_id")
INDEX_KEYS = (keys.GSI1_PK, keys.GSI1_SK, keys.GSI2_PK, keys.GSI2_SK)
NAME_PARTS = {keys.FIRST: "first_name_key", keys.LAST: "last_name_key"}


@dataclass
class _Table:
    """The items of a table, sorted into the item types of keys.py."""

    advisors: dict[str, Item] = field(default_factory=dict)
    preferences: dict[str, Item] = field(default_factory=dict)
    members: dict[str, dict[str, Item]] = field(default_factory=lambda: defaultdict(dict))
    clients: dict[str, Item] = field(default_factory=dict)
    assignments: dict[str, Item] = field(default_factory=dict)
    names: dict[str, dict[str, Item]] = field(default_factory=lambda: defaultdict(dict))
    histories: dict[str, list[Item]] = field(default_factory=lambda: defaultdict(list))
    imports: dict[str, Item] = field(default_factory=dict)
    import_events: dict[str, Item] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)

    def add(self, item: Item) -> None:
        pk, sk = item[keys.PK], item[keys.SK]
        kind, _, owner = pk.partition("#")
        if kind == "ADVISOR" and sk == keys.PROFILE:
            self.advisors[owner] = item
        elif kind == "ADVISOR" and sk == keys.NOTIFY:
            self.preferences[owner] = item
        elif kind == "ADVISOR" and sk.startswith(keys.MEMBER_PREFIX):
            self.members[owner][sk.removeprefix(keys.MEMBER_PREFIX)] = item
        elif kind == "CLIENT" and sk == keys.PROFILE:
            self.clients[owner] = item
        elif kind == "CLIENT" and sk == keys.ASSIGNMENT:
            self.assignments[owner] = item
        elif kind == "CLIENT" and sk.removeprefix(keys.NAME_PREFIX) in NAME_PARTS:
            self.names[owner][sk.removeprefix(keys.NAME_PREFIX)] = item
        elif kind == "CLIENT" and sk.startswith(keys.HISTORY_PREFIX):
            self.histories[owner].append(item)
        elif kind == "IMPORT" and sk == keys.IMPORT_STATUS:
            self.imports[owner] = item
        elif kind == "IMPORT" and sk == keys.IMPORT_FINISHED_EVENT:
            self.import_events[owner] = item
        else:
            self.unknown.append(f"{pk} / {sk}")


def _scan(db: "DynamoDBClient", table_name: str) -> Iterator[Item]:
    request: dict[str, Any] = {"TableName": table_name, "ConsistentRead": True}
    while True:
        page = db.scan(**request)
        for wire in page["Items"]:
            yield from_wire(wire)
        if "LastEvaluatedKey" not in page:
            return
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _client_problems(table: _Table) -> Iterator[str]:
    for client_id, profile in table.clients.items():
        accounts = read_accounts(profile["accounts"])
        total = sum((a.value for a in accounts), Decimal(0))
        if profile["total_value"] != total:
            yield f"client {client_id}: total_value {profile['total_value']}, accounts sum {total}"
        if profile["account_count"] != len(accounts):
            yield f"client {client_id}: account_count {profile['account_count']}, {len(accounts)}"
        for name, part in (("first_name", "first_name_key"), ("last_name", "last_name_key")):
            if profile.get(part) != normalized(profile[name]):
                yield f"client {client_id}: {part} {profile.get(part)!r} is not its normal form"
        advisor_id = table.assignments.get(client_id, {}).get("advisor_id")
        if profile.get("advisor_id") != advisor_id:
            yield f"client {client_id}: profile copies advisor {profile.get('advisor_id')}"
        wanted = {
            **keys.client_directory_index(client_id),
            **({} if advisor_id else keys.unassigned_index(client_id)),
        }
        indexed = {k: profile[k] for k in INDEX_KEYS if k in profile}
        if indexed != wanted:
            yield f"client {client_id}: index entries {indexed}, should be {wanted}"


def _name_problems(table: _Table) -> Iterator[str]:
    """Each client's two name entries, equal to its profile and in the name index."""
    for client_id in table.clients.keys() | table.names.keys():
        profile, entries = table.clients.get(client_id), table.names.get(client_id, {})
        if profile is None:
            yield f"client {client_id}: name entries without a profile"
            continue
        if entries.keys() != NAME_PARTS.keys():
            yield f"client {client_id}: name entries {sorted(entries)}"
        for part, entry in entries.items():
            differing = [name for name in NAME_ENTRY_COPIED if entry.get(name) != profile.get(name)]
            if differing:
                yield f"client {client_id}: {part} name entry differs in {differing}"
            name_key = profile.get(NAME_PARTS[part])
            expected = keys.name_index(str(name_key), client_id)
            if entry.get("name_key") != name_key or any(
                entry.get(k) != v for k, v in expected.items()
            ):
                yield f"client {client_id}: {part} name entry not indexed as {expected}"


def _membership_problems(table: _Table) -> Iterator[str]:
    """One advisor per client, and every copy equal to its profile and to the credit."""
    listed_under: dict[str, set[str]] = defaultdict(set)
    for advisor_id, members in table.members.items():
        for client_id in members:
            listed_under[client_id].add(advisor_id)
    for client_id in table.clients.keys() | listed_under.keys() | table.assignments.keys():
        assignment = table.assignments.get(client_id, {})
        named = assignment.get("advisor_id")
        under = listed_under.get(client_id, set())
        if under != ({named} if named else set()):
            yield f"client {client_id}: assigned to {named}, copied under {sorted(under)}"
        if client_id not in table.clients:
            yield f"client {client_id}: no profile, yet assigned or copied"
            continue
        if named is None or named not in under:
            continue
        if named not in table.advisors:
            yield f"client {client_id}: assigned to unknown advisor {named}"
        copy, profile = table.members[named][client_id], table.clients[client_id]
        differing = [name for name in COPIED if copy.get(name) != profile.get(name)]
        if differing:
            yield f"client {client_id}: copy under {named} differs from profile in {differing}"
        if "credited_revision" in assignment and (
            assignment["credited_total"],
            assignment["credited_revision"],
        ) != (copy["total_value"], copy["revision"]):
            yield f"client {client_id}: credit on the assignment differs from the copy"


def _advisor_problems(table: _Table, strict_capacity: bool) -> Iterator[str]:
    for advisor_id, advisor in table.advisors.items():
        members = table.members.get(advisor_id, {})
        count, capacity = advisor["client_count"], advisor.get("capacity")
        if count != len(members):
            yield f"advisor {advisor_id}: client_count {count}, {len(members)} copies"
        assets = sum((m["total_value"] for m in members.values()), Decimal(0))
        if advisor["total_assets"] != assets:
            yield f"advisor {advisor_id}: total_assets {advisor['total_assets']}, copies {assets}"
        if strict_capacity and capacity is not None and count > capacity:
            yield f"advisor {advisor_id}: client_count {count} over capacity {capacity}"
        available = advisor["accepting_new_clients"] and (capacity is None or count < capacity)
        indexed = (advisor.get(keys.GSI1_PK), advisor.get(keys.GSI1_SK))
        wanted = tuple(keys.availability_index(advisor_id).values()) if available else (None,) * 2
        if indexed != wanted:
            yield f"advisor {advisor_id}: availability index {indexed}, should be {wanted}"
        directory = (advisor.get(keys.GSI2_PK), advisor.get(keys.GSI2_SK))
        if directory != tuple(keys.advisor_directory_index(advisor_id).values()):
            yield f"advisor {advisor_id}: directory entry {directory}"
    for advisor_id in table.members.keys() - table.advisors.keys():
        yield f"advisor {advisor_id}: copies of clients without an advisor profile"


def _history_problems(table: _Table) -> Iterator[str]:
    for client_id in table.clients.keys() | table.histories.keys():
        holder: str | None = None
        last_at = ""
        for event in sorted(table.histories.get(client_id, []), key=lambda e: e[keys.SK]):
            before, after = event.get("previous_advisor_id"), event.get("advisor_id")
            if before != holder or after == holder:
                yield f"client {client_id}: history breaks at {event[keys.SK]}"
                break
            if event["at"] <= last_at:
                yield f"client {client_id}: {event[keys.SK]} is not later than the change before"
                break
            holder, last_at = after, event["at"]
        else:
            current = table.assignments.get(client_id, {}).get("advisor_id")
            if holder != current:
                yield f"client {client_id}: history ends at {holder}, assigned to {current}"


def _preference_problems(table: _Table) -> Iterator[str]:
    for advisor_id, preferences in table.preferences.items():
        if advisor_id not in table.advisors:
            yield f"advisor {advisor_id}: notification preferences without an advisor profile"
        named = preferences.get("advisor_id")
        if named != advisor_id:
            yield f"advisor {advisor_id}: notification preferences name advisor {named}"


def _outbox_problems(table: _Table) -> Iterator[str]:
    for client_id, history in table.histories.items():
        for item in history:
            if keys.EVENT_TYPE not in item:
                continue
            where = f"client {client_id}: outbox record {item[keys.SK]}"
            try:
                event = ChangeEvent.from_item(item)
            except ValueError as error:
                yield f"{where} is not an event: {error}"
                continue
            before, after = item.get("previous_advisor_id"), item.get("advisor_id")
            if event.event_type != assignment_event_type(before, after):
                yield f"{where} is a {event.event_type}, not the change it records"
            if event.client_id != client_id or not item[keys.SK].endswith(f"#{event.event_id}"):
                yield f"{where} names another client or event"
            if item["occurred_at"] != item["at"]:
                yield f"{where} occurred at {item['occurred_at']}, recorded at {item['at']}"
    for import_id, item in table.import_events.items():
        status = table.imports.get(import_id)
        try:
            event = ChangeEvent.from_item(item)
        except ValueError as error:
            yield f"import {import_id}: its outbox record is not an event: {error}"
            continue
        if status is None or event.counts is None:
            yield f"import {import_id}: an outbox record without its finished status"
            continue
        counted = (
            event.counts.advisors_upserted,
            event.counts.clients_upserted,
            event.counts.rejected,
        )
        stored = (status["advisors_upserted"], status["clients_upserted"], status["rejected"])
        if (event.import_status, counted) != (status["status"], stored):
            yield f"import {import_id}: its outbox record says other than its status"


def check_table(
    db: "DynamoDBClient", table_name: str, *, strict_capacity: bool = True
) -> list[str]:
    """Every invariant that does not hold in the table (empty: the book is consistent).
    `strict_capacity` false allows advisors over a capacity that an import lowered."""
    table = _Table()
    for item in _scan(db, table_name):
        table.add(item)
    return [
        *(f"unknown item {key}" for key in table.unknown),
        *_client_problems(table),
        *_name_problems(table),
        *_membership_problems(table),
        *_advisor_problems(table, strict_capacity),
        *_history_problems(table),
        *_preference_problems(table),
        *_outbox_problems(table),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--table", required=True, help="the table's name")
    parser.add_argument("--endpoint-url", help="an emulator's URL (default: AWS)")
    parser.add_argument(
        "--allow-lowered-capacity",
        action="store_true",
        help="do not report advisors over a capacity that an import lowered",
    )
    args = parser.parse_args(argv)
    db = boto3.client("dynamodb", endpoint_url=args.endpoint_url)
    problems = check_table(db, args.table, strict_capacity=not args.allow_lowered_capacity)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s)" if problems else "every invariant holds")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
