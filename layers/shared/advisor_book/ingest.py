"""Importing a seed file: stream it, validate record by record, upsert in batches.

The file is parsed as a stream of JSON events (ijson's C backend, numbers as `Decimal`), so
memory stays flat whatever its size. Each advisor or client is built and validated on its own:
a bad record is rejected with its path and reason while the good ones are written. A file that
is not JSON, ends early, or has neither array fails as a whole and changes nothing.
"""

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

import ijson
from pydantic import ValidationError

from advisor_book.imports import import_id_for
from advisor_book.models import (
    Account,
    ImportStatus,
    RecordError,
    SeedAdvisor,
    SeedClient,
    utc_now,
)
from advisor_book.repository import BookRepository, ClientProfile, ClientWrite

ADVISORS = "financial_advisors"
CLIENTS = "clients"
MAX_ERRORS_KEPT = 100
MAX_RECORD_EVENTS = 20_000
MAX_RECORD_DEPTH = 6
CLIENT_BATCH = 100

Event = tuple[str, str, Any]


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
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


class FileRejectedError(Exception):
    """The file as a whole cannot be read: not JSON, truncated, or not in the seed shape."""


@dataclass
class ImportReport:
    """Counts and the first rejections of one import; `rejected` stays exact past the cap."""

    advisors_upserted: int = 0
    clients_upserted: int = 0
    rejected: int = 0
    errors: list[RecordError] = field(default_factory=list)
    failure: str | None = None

    def reject(self, path: str, message: str) -> None:
        self.rejected += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(RecordError(path=path, message=message))

    def status(self, started: ImportStatus) -> ImportStatus:
        errors = list(self.errors)
        if self.failure is not None:
            errors = [RecordError(path="$", message=self.failure), *errors][:MAX_ERRORS_KEPT]
        upserted = self.advisors_upserted + self.clients_upserted
        if self.failure or (self.rejected and not upserted):
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
                "finished_at": utc_now(),
            }
        )


def _describe(error: ValidationError, path: str) -> tuple[str, str]:
    """The first problem of a record, with its place inside the record."""
    first = error.errors(include_url=False)[0]
    where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in first["loc"])
    more = error.error_count() - 1
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return f"{path}{where}", f"{first['msg']}{suffix}"


def _skip_open(events: Iterator[Event], depth: int) -> None:
    """Consume events until `depth` open containers have closed."""
    while depth:
        _, event, _ = next(events)
        if event in ("start_map", "start_array"):
            depth += 1
        elif event in ("end_map", "end_array"):
            depth -= 1


def _build_value(events: Iterator[Event], first: Event) -> tuple[Any, str | None]:
    """Build one array element from its events, or say why it is refused without building it."""
    _, event, value = first
    if event not in ("start_map", "start_array"):
        return value, None
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


def read_records(stream: IO[bytes], report: ImportReport) -> Iterator[tuple[str, int, Any]]:
    """Yield (section, index, raw record) for every element of the two top-level arrays.

    Unknown top-level fields and elements too large to be records are rejected in `report`;
    anything that makes the file unreadable raises FileRejectedError.
    """
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
                report.reject(
                    value, "unknown top-level field (expected financial_advisors, clients)"
                )
                _skip_open(events, 1 if head[1] in ("start_map", "start_array") else 0)
                continue
            if head[1] != "start_array":
                raise FileRejectedError(f"{value} must be an array")
            sections_seen += 1
            index = 0
            while True:
                element = next(events)
                if element[1] == "end_array":
                    break
                record, refusal = _build_value(events, element)
                if refusal:
                    report.reject(f"{value}[{index}]", refusal)
                else:
                    yield value, index, record
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


class _Importer:
    """Upserts validated records: advisors one by one, clients in batches."""

    def __init__(self, repo: BookRepository, report: ImportReport) -> None:
        self._repo = repo
        self._report = report
        self._seen: dict[str, set[bytes]] = {ADVISORS: set(), CLIENTS: set()}
        self._pending: list[ClientWrite] = []

    def _first_time(self, section: str, record_id: str) -> bool:
        digest = hashlib.blake2b(record_id.encode(), digest_size=12).digest()
        if digest in self._seen[section]:
            return False
        self._seen[section].add(digest)
        return True

    def add(self, section: str, index: int, raw: Any) -> None:
        path = f"{section}[{index}]"
        model = SeedAdvisor if section == ADVISORS else SeedClient
        try:
            record = model.model_validate(raw)
        except ValidationError as error:
            self._report.reject(*_describe(error, path))
            return
        if isinstance(record, SeedAdvisor):
            if not self._first_time(section, record.advisor_id):
                self._report.reject(
                    path, f"duplicate advisor id {record.advisor_id}; the first was kept"
                )
                return
            self._repo.upsert_advisor(record)
            self._report.advisors_upserted += 1
            return
        assert isinstance(record, SeedClient)
        if not self._first_time(section, record.client_id):
            self._report.reject(path, f"duplicate client id {record.client_id}; the first was kept")
            return
        self._pending.append(client_write(record))
        if len(self._pending) >= CLIENT_BATCH:
            self.flush()

    def flush(self) -> None:
        """Write the pending clients that changed and bring their advisors' copies in step."""
        if not self._pending:
            return
        batch, self._pending = self._pending, []
        stored = self._repo.client_revisions(w.profile.client_id for w in batch)
        changed = [w for w in batch if stored.get(w.profile.client_id) != w.profile.revision]
        self._repo.put_clients(changed)
        existed = [w.profile.client_id for w in changed if w.profile.client_id in stored]
        if existed:
            self._repo.sync_memberships(existed)
        self._report.clients_upserted += len(batch)


def run_import(repo: BookRepository, open_stream: Callable[[], IO[bytes]]) -> ImportReport:
    """Stream one seed file into the table and report what happened to every record.

    Two passes over the file: the first only checks that it is well-formed JSON in the seed
    shape and writes nothing, so a truncated or corrupt file changes nothing stored; the second
    validates each record and upserts the good ones.
    """
    try:
        for _ in read_records(open_stream(), ImportReport()):
            pass
    except FileRejectedError as error:
        return ImportReport(failure=str(error))
    report = ImportReport()
    importer = _Importer(repo, report)
    try:
        for section, index, raw in read_records(open_stream(), report):
            importer.add(section, index, raw)
    except FileRejectedError as error:
        report.failure = f"the file changed while it was read: {error}"
    importer.flush()
    return report


def import_object(
    repo: BookRepository, bucket: str, key: str, version: str, open_stream: Callable[[], IO[bytes]]
) -> ImportStatus:
    """Import one S3 object once: a repeated delivery of a finished import changes nothing.

    A delivery that finds the import still IN_PROGRESS (a retry after a crash) runs it again;
    every write is an idempotent upsert, so the result is that of one clean run.
    """
    started = ImportStatus(
        import_id=import_id_for(bucket, key, version),
        bucket=bucket,
        key=key,
        status="IN_PROGRESS",
        advisors_upserted=0,
        clients_upserted=0,
        rejected=0,
        errors=[],
        started_at=utc_now(),
        finished_at=None,
    )
    existing = repo.begin_import(started)
    if existing is not None:
        if existing.status != "IN_PROGRESS":
            return existing
        started = existing
    try:
        report = run_import(repo, open_stream)
    except FileRejectedError as error:
        report = ImportReport(failure=str(error))
    finished = report.status(started)
    repo.save_import(finished)
    return finished
