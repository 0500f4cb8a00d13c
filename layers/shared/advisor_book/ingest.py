"""Importing a seed file: stream it, validate record by record, upsert in batches.

The file is parsed as a stream of JSON events (ijson's C backend, numbers as `Decimal`), so
memory stays flat whatever its size. Each advisor or client is built and validated on its own:
a bad record is rejected with its path and reason while the good ones are written. A file that
is not JSON, ends early, or has neither array fails as a whole and changes nothing: a first
pass checks its structure before anything is written.

An import survives S3's at-least-once delivery and Lambda's retries: the same object is one
import, held by one invocation at a time through a lease on its status item; progress is
checkpointed every CHECKPOINT_EVERY records, and when the invocation runs low on time the
import is checkpointed and continued by a new invocation from there.
"""

import hashlib
import json
import threading
from array import array
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from functools import partial
from typing import IO, Any

import ijson
from pydantic import BaseModel, ValidationError

from advisor_book.imports import import_id_for
from advisor_book.models import (
    Account,
    ImportStatus,
    RecordError,
    SeedAdvisor,
    SeedClient,
    utc_now,
)
from advisor_book.repository import (
    BookRepository,
    ClientProfile,
    ClientWrite,
    ImportProgress,
    LeaseLostError,
)

ADVISORS = "financial_advisors"
CLIENTS = "clients"
MAX_ERRORS_KEPT = 100
MAX_RECORD_EVENTS = 20_000
MAX_RECORD_DEPTH = 6
CLIENT_BATCH = 100
ADVISOR_BATCH = 100
WRITERS = 8
CHECKPOINT_EVERY = 10_000
LEASE = timedelta(minutes=5)
RESERVE_MS = 60_000

Event = tuple[str, str, Any]
OpenStream = Callable[[], IO[bytes]]


class FileRejectedError(Exception):
    """The file as a whole cannot be read: not JSON, truncated, or not in the seed shape."""


class ImportJob(BaseModel):
    """One S3 object to import; also the body of a continuation message."""

    bucket: str
    key: str
    version: str = ""
    version_id: str | None = None

    @property
    def import_id(self) -> str:
        return import_id_for(self.bucket, self.key, self.version)


@dataclass
class ImportReport:
    """Counts and the first rejections of one import; `rejected` stays exact past the cap."""

    advisors_upserted: int = 0
    clients_upserted: int = 0
    rejected: int = 0
    errors: list[RecordError] = field(default_factory=list)
    failure: str | None = None
    records_done: int = 0

    @classmethod
    def resumed(cls, progress: ImportProgress) -> "ImportReport":
        status = progress.status
        return cls(
            advisors_upserted=status.advisors_upserted,
            clients_upserted=status.clients_upserted,
            rejected=status.rejected,
            errors=list(status.errors),
            records_done=status.records_done,
        )

    def reject(self, path: str, message: str) -> None:
        self.rejected += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(RecordError(path=path, message=message))

    def status(self, started: ImportStatus, *, finished: bool = True) -> ImportStatus:
        errors = list(self.errors)
        if self.failure is not None:
            errors = [RecordError(path="$", message=self.failure), *errors][:MAX_ERRORS_KEPT]
        upserted = self.advisors_upserted + self.clients_upserted
        if not finished:
            state = "IN_PROGRESS"
        elif self.failure or (self.rejected and not upserted):
            state = "FAILED"
        else:
            state = "PARTIAL" if self.rejected else "SUCCEEDED"
        return started.model_copy(
            update={
                "status": state,
                "advisors_upserted": self.advisors_upserted,
                "clients_upserted": self.clients_upserted,
                "rejected": self.rejected,
                "errors": errors,
                "records_done": self.records_done,
                "finished_at": utc_now() if finished else None,
            }
        )


# --- Reading the stream ---------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One element of a top-level array, or a top-level field that has no business there.

    `refusal` says why it cannot be a record (unknown field, too large, nested too deeply).
    """

    section: str
    index: int
    raw: Any
    refusal: str | None = None

    @property
    def path(self) -> str:
        return f"{self.section}[{self.index}]" if self.index >= 0 else self.section


class _BlankTracker:
    """Remembers whether the stream held anything but whitespace, to call an empty file empty."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self.blank = True

    def read(self, size: int = -1) -> bytes:
        chunk = self._stream.read(size)
        if self.blank and chunk.strip():
            self.blank = False
        return chunk


def _first_line(error: Exception) -> str:
    """yajl's messages add a multi-line excerpt of the file; keep the first line only."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _skip_open(events: Iterator[Event], depth: int) -> None:
    """Consume events until `depth` open containers have closed."""
    while depth:
        _, event, _ = next(events)
        if event in ("start_map", "start_array"):
            depth += 1
        elif event in ("end_map", "end_array"):
            depth -= 1


def _build_value(
    events: Iterator[Event], first: Event, build: bool = True
) -> tuple[Any, str | None]:
    """Build one array element from its events, or say why it is refused without building it.
    With `build` false the element is only read past."""
    _, event, value = first
    if event not in ("start_map", "start_array"):
        return value, None
    if not build:
        _skip_open(events, 1)
        return None, None
    builder = ijson.ObjectBuilder()
    builder.event(event, value)
    depth, count = 1, 1
    while depth:
        _, event, value = next(events)
        count += 1
        if event in ("start_map", "start_array"):
            depth += 1
        elif event in ("end_map", "end_array"):
            depth -= 1
        if depth > MAX_RECORD_DEPTH or count > MAX_RECORD_EVENTS:
            _skip_open(events, depth)
            reason = "nested too deeply" if depth > MAX_RECORD_DEPTH else "too large"
            return None, f"record is {reason} to be a seed record"
        builder.event(event, value)
    return builder.value, None


def read_items(stream: IO[bytes], build: bool = True) -> Iterator[Item]:
    """Every element of the two top-level arrays in file order, and every unknown top-level
    field; FileRejectedError as soon as the file cannot be a seed file."""
    tracked = _BlankTracker(stream)
    events: Iterator[Event] = ijson.parse(tracked, use_float=False)
    try:
        first = next(events, None)
        if first is None:
            raise FileRejectedError("the file is empty")
        if first[1] != "start_map":
            raise FileRejectedError(
                "the file must be a JSON object with the arrays financial_advisors and clients"
            )
        sections_seen = 0
        for prefix, event, value in events:
            if prefix == "" and event == "end_map":
                break
            if event != "map_key":
                continue
            head = next(events)
            if value not in (ADVISORS, CLIENTS):
                _skip_open(events, 1 if head[1] in ("start_map", "start_array") else 0)
                yield Item(
                    value,
                    -1,
                    None,
                    "unknown top-level field (expected financial_advisors, clients)",
                )
                continue
            if head[1] != "start_array":
                raise FileRejectedError(f"{value} must be an array")
            sections_seen += 1
            index = 0
            while True:
                element = next(events)
                if element[1] == "end_array":
                    break
                raw, refusal = _build_value(events, element, build)
                yield Item(value, index, raw, refusal)
                index += 1
        for _ in events:
            pass
        if not sections_seen:
            raise FileRejectedError("the file has neither a financial_advisors nor a clients array")
    except ijson.IncompleteJSONError as error:
        if tracked.blank:
            raise FileRejectedError("the file is empty") from error
        raise FileRejectedError(
            f"the file is not valid JSON or ends early: {_first_line(error)}"
        ) from error
    except ijson.JSONError as error:
        raise FileRejectedError(f"the file is not valid JSON: {_first_line(error)}") from error
    except StopIteration as error:
        raise FileRejectedError("the file ends early") from error


def check_structure(stream: IO[bytes]) -> None:
    """The first pass: the whole file is read and nothing is written.

    Records are only read past, not built, which makes this pass several times faster.
    """
    for _ in read_items(stream, build=False):
        pass


# --- Validated records ----------------------------------------------------------------------


def _describe(error: ValidationError, path: str) -> tuple[str, str]:
    """The first problem of a record, with its place inside the record."""
    first = error.errors(include_url=False)[0]
    where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in first["loc"])
    more = error.error_count() - 1
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return f"{path}{where}", f"{first['msg']}{suffix}"


def client_write(record: SeedClient) -> ClientWrite:
    """A validated client as stored: accounts with ids, exact total, content revision."""
    accounts = [
        Account(account_id=account_id, type=account.type, value=account.value)
        for account_id, account in zip(record.account_ids(), record.accounts, strict=True)
    ]
    total = sum((a.value for a in accounts), Decimal(0))
    content = json.dumps(
        [record.first_name, record.last_name, [a.model_dump(mode="json") for a in accounts]],
        separators=(",", ":"),
    )
    return ClientWrite(
        profile=ClientProfile(
            client_id=record.client_id,
            first_name=record.first_name,
            last_name=record.last_name,
            total_value=total,
            account_count=len(accounts),
            revision=hashlib.sha256(content.encode()).hexdigest()[:24],
        ),
        accounts=accounts,
    )


class FingerprintSet:
    """The ids seen in a file, as 64-bit fingerprints in one flat open-addressing table.

    About 16 bytes an id instead of about 100 for a set of strings, so a file of millions of
    records still fits in a few tens of MB. Two different ids share a fingerprint with a chance
    of about n²/2⁶⁵ (under one in a million below six million ids).
    """

    def __init__(self) -> None:
        self._slots = array("Q", bytes(8 * 1024))
        self._used = 0

    @staticmethod
    def _fingerprint(value: str) -> int:
        digest = hashlib.blake2b(value.encode(), digest_size=8).digest()
        return int.from_bytes(digest, "big") or 1

    def _place(self, slots: array[int], fingerprint: int) -> bool:
        mask = len(slots) - 1
        slot = fingerprint & mask
        while slots[slot]:
            if slots[slot] == fingerprint:
                return False
            slot = (slot + 1) & mask
        slots[slot] = fingerprint
        return True

    def add(self, value: str) -> bool:
        """Add the id; False if it was already there."""
        if (self._used + 1) * 2 > len(self._slots):
            grown = array("Q", bytes(16 * len(self._slots)))
            for fingerprint in self._slots:
                if fingerprint:
                    self._place(grown, fingerprint)
            self._slots = grown
        added = self._place(self._slots, self._fingerprint(value))
        self._used += added
        return added


class _Importer:
    """Validates items in file order and upserts the good records.

    Advisors and clients are gathered in batches (ADVISOR_BATCH, CLIENT_BATCH) written by a
    pool of WRITERS threads. Items before `resume_at` were handled by an earlier invocation:
    they are only validated again, to rebuild the set of ids already seen.
    """

    def __init__(self, repo: BookRepository, report: ImportReport, resume_at: int) -> None:
        self._repo = repo
        self._report = report
        self._resume_at = resume_at
        self.position = 0
        self._seen = {ADVISORS: FingerprintSet(), CLIENTS: FingerprintSet()}
        self._pending: list[ClientWrite] = []
        self._pending_advisors: list[SeedAdvisor] = []
        self._writers = ThreadPoolExecutor(max_workers=WRITERS, thread_name_prefix="writer")
        self._in_flight: list[Future[None]] = []
        self._slots = threading.BoundedSemaphore(2 * WRITERS)

    def add(self, item: Item) -> None:
        replaying = self.position < self._resume_at
        self.position += 1
        if item.refusal is not None:
            if not replaying:
                self._report.reject(item.path, item.refusal)
            return
        model = SeedAdvisor if item.section == ADVISORS else SeedClient
        try:
            record = model.model_validate(item.raw)
        except ValidationError as error:
            if not replaying:
                self._report.reject(*_describe(error, item.path))
            return
        record_id = record.advisor_id if isinstance(record, SeedAdvisor) else record.client_id
        if not self._seen[item.section].add(record_id):
            if not replaying:
                kind = "advisor" if item.section == ADVISORS else "client"
                self._report.reject(
                    item.path, f"duplicate {kind} id {record_id}; the first was kept"
                )
            return
        if replaying:
            return
        if isinstance(record, SeedAdvisor):
            self._pending_advisors.append(record)
            self._report.advisors_upserted += 1
            if len(self._pending_advisors) >= ADVISOR_BATCH:
                self._submit_advisors()
            return
        assert isinstance(record, SeedClient)
        self._pending.append(client_write(record))
        self._report.clients_upserted += 1
        if len(self._pending) >= CLIENT_BATCH:
            self._submit_clients()

    def _submit_advisors(self) -> None:
        batch, self._pending_advisors = self._pending_advisors, []
        self._submit(partial(self._repo.upsert_advisors, batch))

    def _submit_clients(self) -> None:
        batch, self._pending = self._pending, []
        self._submit(partial(self._write_clients, batch))

    def _submit(self, write: Callable[[], None]) -> None:
        self._slots.acquire()
        future = self._writers.submit(write)
        future.add_done_callback(lambda _: self._slots.release())
        self._in_flight.append(future)

    def _write_clients(self, batch: list[ClientWrite]) -> None:
        """Write the clients that changed and bring their advisors' copies in step."""
        stored = self._repo.client_revisions(w.profile.client_id for w in batch)
        changed = [w for w in batch if stored.get(w.profile.client_id) != w.profile.revision]
        self._repo.put_clients(changed)
        existed = [w.profile.client_id for w in changed if w.profile.client_id in stored]
        if existed:
            self._repo.sync_memberships(existed)

    def settle(self) -> None:
        """Write what is pending and wait for every write; afterwards `position` is durable."""
        if self._pending_advisors:
            self._submit_advisors()
        if self._pending:
            self._submit_clients()
        in_flight, self._in_flight = self._in_flight, []
        for future in in_flight:
            future.result()
        self._report.records_done = max(self.position, self._resume_at)

    def close(self) -> None:
        self._writers.shutdown(wait=True, cancel_futures=True)


# --- One import, end to end -----------------------------------------------------------------


def run_import(
    repo: BookRepository,
    job: ImportJob,
    open_stream: OpenStream,
    *,
    owner: str,
    remaining_ms: Callable[[], int],
    continue_later: Callable[[ImportJob], None],
) -> ImportStatus:
    """Import one S3 object, or resume it from its checkpoint.

    `owner` names this delivery (a retried invocation keeps it); a duplicate delivery while
    another holds the lease, or after the import finished, changes nothing and gets the stored
    status. When `remaining_ms` falls under RESERVE_MS, the progress is checkpointed and
    `continue_later` hands the rest to a new invocation.
    """
    now = utc_now()
    fresh = ImportStatus.started(job.import_id, job.bucket, job.key, now)
    progress = repo.claim_import(fresh, owner=owner, now=now, lease_until=now + LEASE)
    if progress is None:
        stored = repo.get_import(job.import_id)
        assert stored is not None
        return stored
    started = progress.status
    report = ImportReport.resumed(progress)
    try:
        if not progress.checked:
            check_structure(open_stream())
            repo.save_progress(started, owner=owner, lease_until=utc_now() + LEASE, checked=True)
    except FileRejectedError as error:
        report.failure = str(error)
        finished = report.status(started)
        repo.finish_import(finished, owner=owner)
        return finished
    importer = _Importer(repo, report, resume_at=report.records_done)
    try:
        try:
            for item in read_items(open_stream()):
                importer.add(item)
                if importer.position <= report.records_done:
                    continue
                if importer.position % CHECKPOINT_EVERY == 0:
                    importer.settle()
                    repo.save_progress(
                        report.status(started, finished=False),
                        owner=owner,
                        lease_until=utc_now() + LEASE,
                    )
                if remaining_ms() < RESERVE_MS:
                    importer.settle()
                    paused = report.status(started, finished=False)
                    repo.save_progress(paused, owner=owner, lease_until=None)
                    continue_later(job)
                    return paused
        except FileRejectedError as error:
            report.failure = f"the file changed while it was read: {error}"
        importer.settle()
    except LeaseLostError:
        raise
    except BaseException:
        repo.release_import(job.import_id, owner=owner)
        raise
    finally:
        importer.close()
    finished = report.status(started)
    repo.finish_import(finished, owner=owner)
    return finished
