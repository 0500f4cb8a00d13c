"""Validating a file's records in order and writing the good ones, in batches, on a pool of
writer threads; and the decisions each batch makes: which advisors changed, which clients
changed, and which membership copies an import must bring in step."""

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from typing import TYPE_CHECKING

from pydantic import ValidationError

from advisor_book.errors import StaleReadError
from advisor_book.ingest.reader import ADVISORS, Item
from advisor_book.ingest.records import (
    ClientWrite,
    FingerprintSet,
    client_write,
    describe,
    desired_advisor,
)
from advisor_book.ingest.report import ImportReport
from advisor_book.models import Advisor
from advisor_book.retry import backoff
from advisor_book.seed import SeedAdvisor, SeedClient

if TYPE_CHECKING:
    from advisor_book.store.ingest import IngestStore

CLIENT_BATCH = 100
ADVISOR_BATCH = 100
WRITERS = 8
MAX_WRITE_ATTEMPTS = 8


class BookWriter:
    """Validates items in file order and upserts the good records.

    Advisors and clients are gathered in batches (ADVISOR_BATCH, CLIENT_BATCH) written by a
    pool of WRITERS threads. Items before `resume_at` were handled by an earlier invocation:
    they are only validated again, to rebuild the set of ids already seen.
    """

    def __init__(self, store: "IngestStore", report: ImportReport, resume_at: int) -> None:
        self._store = store
        self._report = report
        self._resume_at = resume_at
        self.position = 0
        self._seen = {"advisor": FingerprintSet(), "client": FingerprintSet()}
        self._pending: list[ClientWrite] = []
        self._pending_advisors: list[SeedAdvisor] = []
        self._writers = ThreadPoolExecutor(max_workers=WRITERS, thread_name_prefix="writer")
        self._in_flight: list[Future[None]] = []
        self._slots = threading.BoundedSemaphore(2 * WRITERS)

    def add(self, item: Item) -> None:
        replaying = self.position < self._resume_at
        self.position += 1
        record = self._valid_record(item, report=not replaying)
        if record is None or replaying:
            return
        if isinstance(record, SeedAdvisor):
            self._pending_advisors.append(record)
            self._report.advisors_upserted += 1
            if len(self._pending_advisors) >= ADVISOR_BATCH:
                self._submit_advisors()
            return
        self._pending.append(client_write(record))
        self._report.clients_upserted += 1
        if len(self._pending) >= CLIENT_BATCH:
            self._submit_clients()

    def _valid_record(self, item: Item, *, report: bool) -> SeedAdvisor | SeedClient | None:
        """The item as a valid record seen for the first time in the file, or None (rejected
        in the report unless `report` is false)."""
        kind = "advisor" if item.section == ADVISORS else "client"
        problem: tuple[str, str] | None = None
        record: SeedAdvisor | SeedClient | None = None
        if item.refusal is not None:
            problem = (item.path, item.refusal)
        else:
            try:
                record = (SeedAdvisor if kind == "advisor" else SeedClient).model_validate(item.raw)
            except ValidationError as error:
                problem = describe(error, item.path)
        if record is not None:
            record_id = record.advisor_id if isinstance(record, SeedAdvisor) else record.client_id
            if not self._seen[kind].add(record_id):
                problem = (item.path, f"duplicate {kind} id {record_id}; the first was kept")
                record = None
        if problem is not None and report:
            self._report.reject(*problem)
        return record

    def _submit_advisors(self) -> None:
        batch, self._pending_advisors = self._pending_advisors, []
        self._submit(partial(upsert_advisors, self._store, batch))

    def _submit_clients(self) -> None:
        batch, self._pending = self._pending, []
        self._submit(partial(write_clients, self._store, batch))

    def _submit(self, write: Callable[[], None]) -> None:
        self._slots.acquire()
        future = self._writers.submit(write)
        future.add_done_callback(lambda _: self._slots.release())
        self._in_flight.append(future)

    def settle(self) -> None:
        """Write what is pending and wait for every write; afterwards `position` is durable."""
        if self._pending_advisors:
            self._submit_advisors()
        if self._pending:
            self._submit_clients()
        in_flight, self._in_flight = self._in_flight, []
        for future in in_flight:
            future.result()
        self._report.checkpoint = max(self.position, self._resume_at)
        self._report.advance(self._report.checkpoint)

    def close(self) -> None:
        self._writers.shutdown(wait=True, cancel_futures=True)


def upsert_advisors(store: "IngestStore", records: Sequence[SeedAdvisor]) -> None:
    """Create or update the file's advisors, keeping their clients and counters: the stored
    ones are read together, and each that changes is written guarded by the counters read; an
    assignment landing in between makes that advisor alone be read and decided again."""
    stored = store.advisors([record.advisor_id for record in records])
    for record in records:
        _upsert_advisor(store, record, stored.get(record.advisor_id))


def _upsert_advisor(store: "IngestStore", record: SeedAdvisor, existing: Advisor | None) -> None:
    for attempt in range(MAX_WRITE_ATTEMPTS):
        if attempt:
            backoff(attempt - 1)
            existing = store.advisor(record.advisor_id)
        desired = desired_advisor(record, existing)
        if desired == existing or store.put_advisor(desired, expected=existing):
            return
    raise StaleReadError(frozenset({"advisor"}))


def write_clients(store: "IngestStore", batch: Sequence[ClientWrite]) -> None:
    """Write the clients that changed (their revision differs from the stored one), each with
    the advisor its stored profile names; correct that copy where an assignment changed it
    meanwhile; and bring the membership copies of those that were already stored in step."""
    stored = store.stored_clients(w.profile.client_id for w in batch)
    changed = []
    for write in batch:
        before = stored.get(write.profile.client_id)
        if before is None or before.revision != write.profile.revision:
            write.advisor_id = before.advisor_id if before else None
            changed.append(write)
    store.put_clients(changed)
    copy_advisors(store, changed)
    existed = [w.profile.client_id for w in changed if w.profile.client_id in stored]
    if existed:
        sync_copies(store, existed)


def copy_advisors(store: "IngestStore", written: Sequence[ClientWrite]) -> int:
    """Give each written profile (and its name entries) the advisor its assignment names, where
    an assignment committed between the read the profile was written from and its write (or
    the profile was stored before it held the copy); how many were corrected.

    Read once the profiles are written: an assignment that commits later was decided on them
    (it is guarded on their revision) and copies its advisor itself."""
    if not written:
        return 0
    advisors = store.assigned_advisors([w.profile.client_id for w in written])
    wrong = [w for w in written if advisors.get(w.profile.client_id) != w.advisor_id]
    return sum(_copy_advisor(store, w.profile.client_id) for w in wrong)


def _copy_advisor(store: "IngestStore", client_id: str) -> bool:
    for attempt in range(MAX_WRITE_ATTEMPTS):
        state = store.advisor_copies(client_id)
        if state.profile is None or state.in_step:
            return False
        try:
            store.copy_advisor(state)
        except StaleReadError:
            backoff(attempt)
            continue
        return True
    raise StaleReadError(frozenset({"client"}))


def sync_copies(store: "IngestStore", client_ids: Sequence[str]) -> int:
    """Bring each assigned client's membership copy, and its advisor's total_assets and the
    assignment's credit, in step with the client's profile; how many copies changed.

    The assignments are read in batches; each assigned client's profile, assignment and copy
    are then read together and, if the copy differs, replaced in one guarded transaction,
    decided again on a fresh read when an assignment or another import got there first."""
    advisors = store.assigned_advisors(client_ids)
    return sum(_sync_copy(store, client_id, advisor) for client_id, advisor in advisors.items())


def _sync_copy(store: "IngestStore", client_id: str, advisor_id: str) -> bool:
    for attempt in range(MAX_WRITE_ATTEMPTS):
        state = store.copy_state(client_id, advisor_id)
        if state.assigned_to is None:
            return False
        if state.assigned_to != advisor_id:
            advisor_id = state.assigned_to  # moved since: its copy is under the new advisor
            continue
        if state.profile is None or state.copy is None or state.in_step:
            return False
        try:
            store.replace_copy(advisor_id, state.profile, state.copy)
        except StaleReadError:
            backoff(attempt)
            continue
        return True
    raise StaleReadError(frozenset({"membership"}))
