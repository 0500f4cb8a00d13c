"""Importing a seed file: stream it, validate record by record, upsert in batches.

The file is parsed as a stream of JSON events (ijson's C backend, numbers as `Decimal`), so
memory stays flat whatever its size. Each advisor or client is built and validated on its own:
a bad record is rejected with its path and reason while the good ones are written. A file that
is not JSON, ends early, or has neither array fails as a whole and changes nothing: a first
pass checks its structure before anything is written.

No file makes the work grow faster than its size: the reader counts the depth as the events
come and refuses a file nested past MAX_FILE_DEPTH at once, builds no record past
MAX_RECORD_DEPTH or MAX_RECORD_EVENTS, and cuts every error of the report to a bound.

An import survives S3's at-least-once delivery and Lambda's retries: the same object is one
import, held by one invocation at a time through a lease on its status item; progress is
checkpointed every CHECKPOINT_EVERY records, and when the invocation runs low on time the
import is checkpointed and continued by a new invocation from there. An import whose every
attempt failed ends FAILED: after MAX_ATTEMPTS invocations that never finished it, or once the
events AWS gave up on come back (`fail_import`).
"""

import hashlib
import json
import re
import sys
import threading
from array import array
from collections.abc import Callable, Iterator, Sequence
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
    InvocationRecord,
    RecordError,
    SeedAdvisor,
    SeedClient,
    utc_now,
)
from advisor_book.repository import (
    BookRepository,
    ClientProfile,
    ClientWrite,
    LeaseLostError,
)

ADVISORS = "financial_advisors"
CLIENTS = "clients"
MAX_ERRORS_KEPT = 100
MAX_ERROR_PATH = 160
MAX_ERROR_MESSAGE = 240
MAX_NAME_IN_PATH = 64
MAX_RECORD_EVENTS = 20_000
MAX_RECORD_DEPTH = 6
MAX_FILE_DEPTH = 128
CLIENT_BATCH = 100
ADVISOR_BATCH = 100
WRITERS = 8
CHECKPOINT_EVERY = 10_000
LEASE = timedelta(minutes=5)
RESERVE_MS = 60_000
MAX_ATTEMPTS = 3
"""Invocations that may take an import and end without finishing or pausing it (out of memory,
out of time, crashed) before the next one marks it FAILED instead of trying again: as many as
Lambda gives an S3 event (the first try and 2 retries) and SQS a continuation (maxReceiveCount)."""

Event = tuple[str, Any]
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
    def resumed(cls, status: ImportStatus) -> "ImportReport":
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
            self.errors.append(bounded_error(path, message))

    def status(self, started: ImportStatus, *, finished: bool = True) -> ImportStatus:
        errors = list(self.errors)
        if self.failure is not None:
            errors = [bounded_error("$", self.failure), *errors][:MAX_ERRORS_KEPT]
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


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[: limit - 1]}\N{HORIZONTAL ELLIPSIS}"


def clipped_name(name: str) -> str:
    """A field name as a path shows it: a name longer than MAX_NAME_IN_PATH is cut short."""
    return _clip(name, MAX_NAME_IN_PATH)


def bounded_error(path: str, message: str) -> RecordError:
    """An error of the report, cut to MAX_ERROR_PATH and MAX_ERROR_MESSAGE characters: the
    whole report (MAX_ERRORS_KEPT of them) stays far below DynamoDB's 400 KB item limit,
    whatever a file holds."""
    return RecordError(path=_clip(path, MAX_ERROR_PATH), message=_clip(message, MAX_ERROR_MESSAGE))


# --- Reading the stream ---------------------------------------------------------------------

_OPENING = ("start_map", "start_array")
_CLOSING = ("end_map", "end_array")
RECORDS_DEPTH = 2
"""The file depth of the arrays that hold the records: the top-level object is depth 1."""


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


_DIGITS_AS_ONES = bytes(b"1"[0] if 0x30 <= byte <= 0x39 else 0 for byte in range(256))


class _CountedStream:
    """The stream as the parser reads it: whether anything but whitespace came (to call an
    empty file empty), where the chunk being parsed starts (to place a syntax error), and no
    run of digits longer than int() converts.

    ijson converts an integer with int(), which refuses more than sys.get_int_max_str_digits()
    digits (4300 by default); its C backend then goes on with the error pending and can crash
    the process. Such a run (in a number, or less likely in a string) fails the file first.
    """

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self.blank = True
        self.chunk_start = 0
        self.consumed = 0
        self._digits_limit = sys.get_int_max_str_digits()
        self._too_many_digits = b"1" * (self._digits_limit + 1)
        self._trailing_digits = b""

    def read(self, size: int = -1) -> bytes:
        chunk = self._stream.read(size)
        if self.blank and chunk.strip():
            self.blank = False
        self.chunk_start = self.consumed
        self.consumed += len(chunk)
        if self._digits_limit:
            self._check_digits(chunk)
        return chunk

    def _check_digits(self, chunk: bytes) -> None:
        # A run may go on from the end of the previous chunk: its digits are scanned again.
        scanned = self._trailing_digits + chunk
        if self._too_many_digits in scanned.translate(_DIGITS_AS_ONES):
            raise FileRejectedError(
                f"the file holds a run of more than {self._digits_limit:,} digits, "
                "too long to read as a number"
            )
        kept = len(scanned) - len(scanned.rstrip(b"0123456789"))
        self._trailing_digits = scanned[len(scanned) - kept :] if kept else b""


_PARSER_COMPLAINT = re.compile(r"(lexical|parse) error: [\w ,.'():\\\[\]{}/-]{1,120}")


def _complaint(error: ijson.JSONError) -> str:
    """yajl's description of a syntax error ("lexical error: invalid char in json text").

    The rest of its message is an excerpt of the file, which may hold client names: it is never
    kept, and a description that does not look like one of yajl's own is not kept either. The
    message is text, or bytes when the excerpt is not UTF-8.
    """
    raw = error.args[0] if error.args else b""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    first = text.split("\n", 1)[0].strip().removesuffix(".")
    return first if _PARSER_COMPLAINT.fullmatch(first) else "the parser gave no description"


def _syntax_error(error: ijson.JSONError, stream: _CountedStream) -> FileRejectedError:
    complaint = _complaint(error)
    if stream.blank:
        return FileRejectedError("the file is empty")
    if complaint.endswith("premature EOF"):
        return FileRejectedError("the file ends early")
    return FileRejectedError(
        f"the file is not valid JSON: {complaint}, between byte {stream.chunk_start:,} "
        f"and byte {stream.consumed:,}"
    )


def _too_deep() -> FileRejectedError:
    return FileRejectedError(
        f"the file nests arrays and objects more than {MAX_FILE_DEPTH} levels deep"
    )


def _skip(events: Iterator[Event], depth: int, until: int) -> None:
    """Read past events until the file depth, `depth` now, is back to `until`; the depth is
    checked on the way, so even a file that only ever opens arrays is refused at once."""
    while depth > until:
        event, _ = next(events)
        if event in _OPENING:
            depth += 1
            if depth > MAX_FILE_DEPTH:
                raise _too_deep()
        elif event in _CLOSING:
            depth -= 1


def _build_value(
    events: Iterator[Event], first: Event, build: bool = True
) -> tuple[Any, str | None]:
    """Build one array element from its events, or say why it is refused without building it.
    With `build` false the element is only read past."""
    event, value = first
    if event not in _OPENING:
        return value, None
    if not build:
        _skip(events, RECORDS_DEPTH + 1, RECORDS_DEPTH)
        return None, None
    builder = ijson.ObjectBuilder()
    builder.event(event, value)
    depth, count = 1, 1
    while depth:
        event, value = next(events)
        count += 1
        if event in _OPENING:
            depth += 1
        elif event in _CLOSING:
            depth -= 1
        if depth > MAX_RECORD_DEPTH or count > MAX_RECORD_EVENTS:
            _skip(events, RECORDS_DEPTH + depth, RECORDS_DEPTH)
            reason = "nested too deeply" if depth > MAX_RECORD_DEPTH else "too large"
            return None, f"record is {reason} to be a seed record"
        builder.event(event, value)
    return builder.value, None


def read_items(stream: IO[bytes], build: bool = True) -> Iterator[Item]:
    """Every element of the two top-level arrays in file order, and every unknown top-level
    field; FileRejectedError as soon as the file cannot be a seed file.

    The parser's events carry no path (ijson's `parse` would build one for every event, which
    costs memory with the square of the depth); this reader knows the depth itself.
    """
    counted = _CountedStream(stream)
    events: Iterator[Event] = ijson.basic_parse(counted, use_float=False)
    try:
        first = next(events, None)
        if first is None:
            raise FileRejectedError("the file is empty")
        if first[0] != "start_map":
            raise FileRejectedError(
                "the file must be a JSON object with the arrays financial_advisors and clients"
            )
        sections_seen = 0
        for event, name in events:  # at depth 1: a field name, or the end of the object
            if event == "end_map":
                break
            head, _ = next(events)
            if name not in (ADVISORS, CLIENTS):
                if head in _OPENING:  # its value opened at depth 2
                    _skip(events, 2, 1)
                yield Item(
                    clipped_name(name),
                    -1,
                    None,
                    "unknown top-level field (expected financial_advisors, clients)",
                )
                continue
            if head != "start_array":
                raise FileRejectedError(f"{name} must be an array")
            sections_seen += 1
            index = 0
            while True:
                element = next(events)
                if element[0] == "end_array":
                    break
                raw, refusal = _build_value(events, element, build)
                yield Item(name, index, raw, refusal)
                index += 1
        for _ in events:
            pass
        if not sections_seen:
            raise FileRejectedError("the file has neither a financial_advisors nor a clients array")
    except ijson.JSONError as error:
        raise _syntax_error(error, counted) from error
    except ArithmeticError as error:
        raise FileRejectedError(
            "the file holds a number whose exponent is too large to read"
        ) from error
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
    where = "".join(
        f"[{part}]" if isinstance(part, int) else f".{clipped_name(str(part))}"
        for part in first["loc"]
    )
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
    report = ImportReport.resumed(progress.status)
    if progress.unfinished_attempts >= MAX_ATTEMPTS:
        report.failure = (
            f"every attempt failed: {progress.unfinished_attempts} invocations took the import "
            "and ended without finishing it (out of memory, out of time or a crash)"
        )
        finished = report.status(started)
        repo.finish_import(finished, owner=owner)
        return finished
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


# --- Imports whose every attempt failed -----------------------------------------------------


def failed_invocation_reason(record: InvocationRecord) -> str:
    """Why an asynchronous invocation failed for good, from its destination record."""
    context = record.request_context
    reason = f"every attempt failed ({context.condition}, {context.approximate_invoke_count} tries)"
    error = record.response_payload
    if error is not None:
        described = ": ".join(part for part in (error.error_type, error.error_message) if part)
        reason = f"{reason}: {described}" if described else reason
    return reason


def fail_import(
    repo: BookRepository, job: ImportJob, *, failed_owners: Sequence[str], reason: str
) -> ImportStatus:
    """Mark an import FAILED with `reason` once every attempt at it failed (its event reached
    the function's on-failure destination, or its continuation the dead-letter redrive), and
    return its status.

    An import no attempt got as far as claiming is created FAILED, so the upload still has a
    status that says why. A finished import, or one another invocation is running now, is
    left as it is. The counts and rejections so far are kept.
    """
    now = utc_now()
    stored = repo.get_import(job.import_id)
    started = stored or ImportStatus.started(job.import_id, job.bucket, job.key, now)
    if started.status != "IN_PROGRESS":
        return started
    report = ImportReport.resumed(started)
    report.failure = reason
    failed = report.status(started)
    if repo.fail_import(failed, failed_owners=failed_owners, now=now, new=stored is None):
        return failed
    current = repo.get_import(job.import_id)
    assert current is not None
    return current
