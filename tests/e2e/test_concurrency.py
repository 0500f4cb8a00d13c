"""Concurrent assignments and imports over HTTP against the local stack, whose functions serve
requests from several warm instances at once: whatever the interleaving, the book stays
consistent.

Each run imports its own small pool of advisors (some nearly full, one closed) and clients, then
hammers it with a seeded mix of assign and unassign requests from many threads while the same
file is uploaded again and again with changed accounts (each import changes the totals of
clients that are being assigned, reassigned and unassigned). Afterwards it checks through the
API alone that clients, advisors, listings, totals and histories all agree, and the table
checker reads the whole table and proves every invariant.
"""

import json
import random
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import pytest

from tests.e2e.conftest import LocalStack, Reply, free_port, start_stack

RUNS = 5
REQUESTS = 500
WORKERS = 16
CLIENTS = 12
PUT_SHARE = 0.7
PAGE = 100
# (capacity, accepting_new_clients) of each advisor of a run's pool.
ADVISOR_SHAPES: list[tuple[int | None, bool]] = [(2, True), (3, True), (5, True), (None, True)]
CLOSED_SHAPE: tuple[int | None, bool] = (4, False)

Event = tuple[str, str | None, str | None, str]
"""An assignment as (client_id, previous_advisor_id, advisor_id, at)."""


@dataclass(frozen=True)
class Pool:
    """The advisors and clients of one run, as the seed file declares them; `revision` n of
    the file raises every account by n cents."""

    run: int
    advisors: dict[str, tuple[int | None, bool]]
    clients: list[str]

    def totals(self, revision: int = 0) -> dict[str, Decimal]:
        return {
            client_id: sum(account_values(n, revision), Decimal(0))
            for n, client_id in enumerate(self.clients)
        }

    @property
    def closed(self) -> str:
        return next(a for a, (_, accepting) in self.advisors.items() if not accepting)

    @property
    def limited(self) -> set[str]:
        return {a for a, (cap, accepting) in self.advisors.items() if cap is not None and accepting}

    def seed_file(self, revision: int = 0) -> bytes:
        advisors = [
            {
                "id": advisor_id,
                "name": f"Concurrent Advisor {n}",
                "focus_areas": ["Concurrency"],
                "capacity": capacity,
                "accepting_new_clients": accepting,
            }
            for n, (advisor_id, (capacity, accepting)) in enumerate(self.advisors.items())
        ]
        clients = [
            {
                "id": client_id,
                "first_name": "Client",
                "last_name": f"Number {n}",
                "accounts": [
                    {"id": f"acc-c{self.run}-{n:02d}-{k}", "type": "Brokerage", "value": float(v)}
                    for k, v in enumerate(account_values(n, revision))
                ],
            }
            for n, client_id in enumerate(self.clients)
        ]
        return json.dumps({"financial_advisors": advisors, "clients": clients}).encode()


def account_values(n: int, revision: int = 0) -> list[Decimal]:
    """One to three account values with cents, different for every client and revision."""
    return [
        Decimal(f"{1000 * n + 137 * k + 1}.{(7 * n + 13 * k + 5) % 100:02d}")
        + Decimal(revision) / 100
        for k in range(1 + n % 3)
    ]


def make_pool(run: int) -> Pool:
    shapes = [*ADVISOR_SHAPES, CLOSED_SHAPE]
    return Pool(
        run=run,
        advisors={f"adv-c{run}-{n}": shape for n, shape in enumerate(shapes)},
        clients=[f"cli-c{run}-{n:02d}" for n in range(CLIENTS)],
    )


@dataclass(frozen=True)
class Call:
    method: str
    client_id: str
    advisor_id: str | None

    @property
    def path(self) -> str:
        return f"/clients/{self.client_id}/advisor"


def plan_calls(pool: Pool) -> list[Call]:
    """A seeded mix of assignments (to any advisor of the pool) and unassignments."""
    chooser = random.Random(pool.run)  # noqa: S311
    clients, advisors = sorted(pool.clients), sorted(pool.advisors)
    calls = []
    for _ in range(REQUESTS):
        client_id = chooser.choice(clients)
        if chooser.random() < PUT_SHARE:
            calls.append(Call("PUT", client_id, chooser.choice(advisors)))
        else:
            calls.append(Call("DELETE", client_id, None))
    return calls


def send(stack: LocalStack, call: Call) -> Reply:
    if call.method == "PUT":
        return stack.request("PUT", call.path, {"advisor_id": call.advisor_id})
    return stack.request("DELETE", call.path)


def is_expected(call: Call, reply: Reply) -> bool:
    """200 with the assignment (PUT), 204 without a body (DELETE), or a 409 conflict."""
    if reply.status == 409:
        return (
            isinstance(reply.body, dict) and reply.body.get("error", {}).get("code") == "conflict"
        )
    if call.method == "PUT":
        return reply.status == 200 and (reply.body["client_id"], reply.body["advisor_id"]) == (
            call.client_id,
            call.advisor_id,
        )
    return reply.status == 204 and reply.body is None


def read_all(stack: LocalStack, path: str) -> list[dict[str, Any]]:
    """Every item of a paginated listing, following next_token."""
    items: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        suffix = f"&next_token={quote(token, safe='')}" if token else ""
        reply = stack.request("GET", f"{path}?limit={PAGE}{suffix}")
        assert reply.status == 200, (path, reply.status, reply.body)
        items.extend(reply.body["items"])
        token = reply.body["next_token"]
        if token is None:
            return items


@dataclass(frozen=True)
class Book:
    """What the API says after the storm: clients, advisors, listings and histories."""

    clients: dict[str, dict[str, Any]]
    advisors: dict[str, dict[str, Any]]
    listings: dict[str, list[dict[str, Any]]]
    histories: dict[str, list[dict[str, Any]]]
    available: set[str]


def read_book(stack: LocalStack, pool: Pool) -> Book:
    def get(path: str) -> dict[str, Any]:
        reply = stack.request("GET", path)
        assert reply.status == 200, (path, reply.status, reply.body)
        body: dict[str, Any] = reply.body
        return body

    listed_available = {a["advisor_id"] for a in read_all(stack, "/advisors")}
    return Book(
        clients={c: get(f"/clients/{c}") for c in pool.clients},
        advisors={a: get(f"/advisors/{a}") for a in pool.advisors},
        listings={a: read_all(stack, f"/advisors/{a}/clients") for a in pool.advisors},
        histories={c: read_all(stack, f"/clients/{c}/assignments") for c in pool.clients},
        available=listed_available & set(pool.advisors),
    )


def memberships_disagreeing_with_clients(book: Book) -> list[str]:
    """(a) Each client is listed under exactly the advisor it names, and under no other."""
    listed_under: dict[str, set[str]] = {c: set() for c in book.clients}
    for advisor_id, listing in book.listings.items():
        for entry in listing:
            listed_under.setdefault(entry["client_id"], set()).add(advisor_id)
    problems = []
    for client_id, advisors in listed_under.items():
        named = book.clients[client_id]["advisor_id"] if client_id in book.clients else None
        if advisors != ({named} if named else set()):
            problems.append(f"{client_id} names {named} but is listed under {sorted(advisors)}")
    return problems


def advisor_counters_out_of_step(book: Book, pool: Pool) -> list[str]:
    """(b) client_count is the listing's length, within capacity; availability follows it."""
    problems = []
    for advisor_id, (capacity, accepting) in pool.advisors.items():
        advisor = book.advisors[advisor_id]
        count = advisor["client_count"]
        listed = len(book.listings[advisor_id])
        if count != listed:
            problems.append(f"{advisor_id}: client_count {count}, {listed} clients listed")
        if capacity is not None and count > capacity:
            problems.append(f"{advisor_id}: client_count {count} over capacity {capacity}")
        if not accepting and count != 0:
            problems.append(f"{advisor_id}: closed, yet has {count} clients")
        available = accepting and (capacity is None or count < capacity)
        if advisor["available"] != available:
            problems.append(f"{advisor_id}: available {advisor['available']} with {count}")
        if (advisor_id in book.available) != available:
            problems.append(f"{advisor_id}: in GET /advisors {advisor_id in book.available}")
    return problems


def totals_out_of_step(book: Book, expected: dict[str, Decimal]) -> list[str]:
    """(c) Totals agree everywhere: the last file imported, client, listing entry and advisor
    total_assets."""
    problems = []
    for client_id, client in book.clients.items():
        if Decimal(client["total_value"]) != expected[client_id]:
            problems.append(f"{client_id}: total_value {client['total_value']}")
    for advisor_id, listing in book.listings.items():
        for entry in listing:
            said = book.clients.get(entry["client_id"])
            if said is None or entry["total_value"] != said["total_value"]:
                problems.append(f"{advisor_id} lists {entry} but the client says {said}")
        assets = Decimal(book.advisors[advisor_id]["total_assets"])
        listed = sum((Decimal(entry["total_value"]) for entry in listing), Decimal(0))
        if assets != listed:
            problems.append(f"{advisor_id}: total_assets {assets}, its clients total {listed}")
    return problems


def histories_disagreeing_with_clients(book: Book) -> list[str]:
    """(d) Each history is a chain of real changes, from no advisor to the client's advisor,
    each one later than the one before."""
    problems = []
    for client_id, newest_first in book.histories.items():
        current = book.clients[client_id]["advisor_id"]
        chain = list(reversed(newest_first))
        holder: str | None = None
        last_at = ""
        for event in chain:
            if event["previous_advisor_id"] != holder or event["advisor_id"] == holder:
                problems.append(f"{client_id}: broken chain at {event} in {chain}")
                break
            if event["at"] <= last_at:
                problems.append(f"{client_id}: {event} is not later than the change before")
                break
            holder, last_at = event["advisor_id"], event["at"]
        if holder != current:
            problems.append(f"{client_id}: advisor {current}, history ends at {holder}: {chain}")
    return problems


def assignments_missing_from_histories(book: Book, replies: list[tuple[Call, Reply]]) -> list[str]:
    """Every assignment a PUT answered with is in the history, and every assignment in the
    history was answered to some PUT (a repeated PUT answers with the assignment in place).
    Unassignments are at most as many as the DELETEs of the client."""
    answered: set[Event] = {
        (
            reply.body["client_id"],
            reply.body["previous_advisor_id"],
            reply.body["advisor_id"],
            reply.body["assigned_at"],
        )
        for call, reply in replies
        if call.method == "PUT" and reply.status == 200
    }
    recorded: set[Event] = {
        (client_id, e["previous_advisor_id"], e["advisor_id"], e["at"])
        for client_id, events in book.histories.items()
        for e in events
        if e["advisor_id"] is not None
    }
    problems = [f"answered, not in the history: {e}" for e in sorted(answered - recorded, key=str)]
    problems += [
        f"in the history, never answered: {e}" for e in sorted(recorded - answered, key=str)
    ]
    deletes = Counter(call.client_id for call, reply in replies if reply.status == 204)
    for client_id, events in book.histories.items():
        unassigned = sum(1 for e in events if e["advisor_id"] is None)
        if unassigned > deletes[client_id]:
            problems.append(f"{client_id}: {unassigned} unassignments, {deletes[client_id]} 204s")
    return problems


class Reimports(threading.Thread):
    """Uploads the pool's file again and again, a new revision each time, each one once the
    import before it has finished, until stopped; `finished` counts the imports done."""

    def __init__(self, stack: LocalStack, pool: Pool, key: str) -> None:
        super().__init__(name="reimports", daemon=True)
        self._stack, self._pool, self._key = stack, pool, key
        self._stopping = threading.Event()
        self.finished = 0
        self.failures: list[dict[str, Any]] = []

    def stop(self) -> None:
        self._stopping.set()
        self.join(timeout=600)

    def run(self) -> None:
        while not self._stopping.is_set():
            revision = self.finished + 1
            self._stack.s3().put_object(
                Bucket=self._stack.bucket, Key=self._key, Body=self._pool.seed_file(revision)
            )
            imported = wait_for_imports(self._stack, self._key, count=revision + 1)
            if imported["status"] != "SUCCEEDED":
                self.failures.append(imported)
            self.finished = revision


def wait_for_imports(stack: LocalStack, key: str, count: int) -> dict[str, Any]:
    """The newest import of `key`, once `count` imports of it exist and it has finished."""
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        items = stack.request("GET", f"/imports?key={key}&limit=100").body["items"]
        if len(items) >= count and items[0]["status"] != "IN_PROGRESS":
            newest: dict[str, Any] = items[0]
            return newest
        time.sleep(0.1)
    raise AssertionError(f"import {count} of {key} did not finish")


@pytest.fixture
def fresh_stack() -> Iterator[LocalStack]:
    """A stack of its own for each run: the emulator copies a whole table for every transaction,
    so a small table keeps 500 concurrent requests quick."""
    running = start_stack(free_port(), free_port())
    yield running
    assert running.stop() == 0


@pytest.mark.parametrize("run", range(RUNS))
def test_concurrent_assignments_keep_the_book_consistent(
    fresh_stack: LocalStack, run: int, request: pytest.FixtureRequest
) -> None:
    stack = fresh_stack
    pool = make_pool(run)
    key = f"concurrency-{run}.json"
    stack.s3().put_object(Bucket=stack.bucket, Key=key, Body=pool.seed_file())
    imported = stack.wait_for_import(key)
    assert (imported["status"], imported["advisors_upserted"], imported["clients_upserted"]) == (
        "SUCCEEDED",
        len(pool.advisors),
        CLIENTS,
    )
    calls = plan_calls(pool)
    reimports = Reimports(stack, pool, key)

    reimports.start()
    with ThreadPoolExecutor(max_workers=WORKERS) as executor:
        replies = list(zip(calls, executor.map(lambda call: send(stack, call), calls), strict=True))
    reimports.stop()

    outcomes = Counter(f"{call.method} {reply.status}" for call, reply in replies)
    request.node.user_properties.append(("outcomes", dict(sorted(outcomes.items()))))
    request.node.user_properties.append(("imports during the requests", reimports.finished))
    assert reimports.failures == []
    assert reimports.finished >= 1
    unexpected = [(c, r.status, r.body) for c, r in replies if not is_expected(c, r)]
    assert unexpected == []
    assert outcomes["PUT 200"] > 0
    assert outcomes["DELETE 204"] > 0
    assert all(r.status == 409 for c, r in replies if c.advisor_id == pool.closed)
    assert any(r.status == 409 for c, r in replies if c.advisor_id in pool.limited)
    book = read_book(stack, pool)
    assert memberships_disagreeing_with_clients(book) == []
    assert advisor_counters_out_of_step(book, pool) == []
    assert totals_out_of_step(book, pool.totals(reimports.finished)) == []
    assert histories_disagreeing_with_clients(book) == []
    assert assignments_missing_from_histories(book, replies) == []
    assert stack.broken_invariants() == []


CONTENDERS = 12
CONTESTED_CLIENTS = 3


def contested_pool() -> Pool:
    """Unlimited advisors, one for each contender, so no contender is refused for capacity."""
    return Pool(
        run=RUNS,
        advisors={f"adv-p-{n:02d}": (None, True) for n in range(CONTENDERS)},
        clients=[f"cli-p-{n:02d}" for n in range(CONTESTED_CLIENTS)],
    )


def contend(stack: LocalStack, calls: list[Call], if_match: str | None) -> list[Reply]:
    """Send every call at once from a thread of its own, all with the same If-Match."""
    start = threading.Barrier(len(calls))

    def send_when_all_ready(call: Call) -> Reply:
        start.wait(timeout=600)
        body = {"advisor_id": call.advisor_id} if call.method == "PUT" else None
        headers = {"If-Match": if_match} if if_match else None
        return stack.request(call.method, call.path, body, headers=headers)

    with ThreadPoolExecutor(max_workers=len(calls)) as executor:
        return list(executor.map(send_when_all_ready, calls))


def test_concurrent_changes_with_the_same_etag_let_exactly_one_through(
    fresh_stack: LocalStack,
) -> None:
    """Requests that all read the same state and send its ETag: one changes the client, every
    other one is a 412, and the change that went through is the one the client shows. First
    assignments of a client without advisor, then reassignments and an unassignment. (A stack
    of its own: its advisors would change what the shared stack's tests expect.)"""
    stack = fresh_stack
    pool = contested_pool()
    key = "concurrency-preconditions.json"
    stack.s3().put_object(Bucket=stack.bucket, Key=key, Body=pool.seed_file())
    assert stack.wait_for_import(key)["status"] == "SUCCEEDED"

    for client_id in pool.clients:
        for unassigning in (False, True):
            client = stack.request("GET", f"/clients/{client_id}")
            tag, current = client.header("ETag"), client.body["advisor_id"]
            calls = [Call("DELETE", client_id, None)] if unassigning else []
            calls += [Call("PUT", client_id, a) for a in sorted(pool.advisors) if a != current]
            replies = contend(stack, calls, tag)

            assert Counter(reply.status for reply in replies)[412] == len(calls) - 1
            assert all(
                reply.body["error"]["code"] == "precondition_failed"
                for reply in replies
                if reply.status == 412
            )
            ((winner, won),) = [
                (c, r) for c, r in zip(calls, replies, strict=True) if r.status != 412
            ]
            assert won.status in (200, 204), (winner, won)
            assert is_expected(winner, won), (winner, won)
            client = stack.request("GET", f"/clients/{client_id}")
            assert client.body["advisor_id"] == winner.advisor_id
            assert client.header("ETag") == won.header("ETag") != tag
        assert len(read_all(stack, f"/clients/{client_id}/assignments")) == 2
    assert stack.broken_invariants(strict_capacity=False) == []
