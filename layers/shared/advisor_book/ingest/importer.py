"""One import, end to end: claim it, check the file's structure, write its records, finish.

An import survives S3's at-least-once delivery and Lambda's retries: the same object is one
import, held by one invocation at a time through a lease on its status item; progress is
checkpointed every CHECKPOINT_EVERY records, and when the invocation runs low on time the
import is checkpointed and continued by a new invocation from there. An import whose every
attempt failed ends FAILED: after MAX_ATTEMPTS invocations that never finished it, or once the
events AWS gave up on come back (`fail_import`).

Between checkpoints the import item shows how far the import has got at least every
PROGRESS_EVERY seconds of work, with one small UpdateItem: a watcher sees it move whatever the
size of the file or of its records.
"""

import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import IO, TYPE_CHECKING

from pydantic import BaseModel

from advisor_book import events
from advisor_book.import_reports import ImportStatus
from advisor_book.imports import ImportProgress, LeaseLostError, Work, import_id_for
from advisor_book.ingest.reader import FileRejectedError, check_structure, read_items
from advisor_book.ingest.report import ImportReport
from advisor_book.ingest.writer import BookWriter
from advisor_book.models import utc_now
from advisor_book.notifications import InvocationRecord

if TYPE_CHECKING:
    from advisor_book.store.imports import ImportStore
    from advisor_book.store.ingest import IngestStore

CHECKPOINT_EVERY = 10_000
PROGRESS_EVERY = 2.0
LEASE = timedelta(minutes=5)
RESERVE_MS = 60_000
MAX_ATTEMPTS = 3
"""Invocations that may take an import and end without finishing or pausing it (out of memory,
out of time, crashed) before the next one marks it FAILED instead of trying again: as many as
Lambda gives an S3 event (the first try and 2 retries) and SQS a continuation (maxReceiveCount)."""

OpenStream = Callable[[], IO[bytes]]
Clock = Callable[[], float]
"""Seconds from a monotonic clock (time.monotonic): the time worked on an import."""
OnCheckpoint = Callable[[ImportStatus], None]


def _nothing(_: ImportStatus) -> None:
    """No one to tell about a checkpoint."""


class ImportJob(BaseModel):
    """One S3 object to import; also the body of a continuation message."""

    bucket: str
    key: str
    version: str = ""
    version_id: str | None = None

    @property
    def import_id(self) -> str:
        return import_id_for(self.bucket, self.key, self.version)


class _Run:
    """One invocation's work on an import it holds: its report, the time it works, and the
    writes to the import item. Each write but a progress update renews the lease; each raises
    LeaseLostError if another invocation took the import over."""

    def __init__(
        self,
        imports: "ImportStore",
        owner: str,
        claimed: ImportProgress,
        clock: Clock,
        on_checkpoint: OnCheckpoint,
    ) -> None:
        self.imports, self.owner = imports, owner
        self.started = claimed.status
        self.report = ImportReport.resumed(claimed.status, claimed.work.checkpoint)
        self._clock, self._on_checkpoint = clock, on_checkpoint
        self._worked_before = claimed.work.working_ms
        self._since = self._last_shown = clock()

    def _work(self, now: float) -> Work:
        """The work done so far, every invocation's, with the report's rate measured over it."""
        self._last_shown = now
        working_ms = self._worked_before + int((now - self._since) * 1000)
        self.report.timed(working_ms)
        return Work(checkpoint=self.report.checkpoint, working_ms=working_ms)

    def progress(self, position: int) -> None:
        """The records up to `position` are read and checked: show it once PROGRESS_EVERY
        seconds of work went by since the import item last showed the progress."""
        self.report.advance(position)
        now = self._clock()
        if now - self._last_shown >= PROGRESS_EVERY:
            work = self._work(now)
            status = self.report.status(self.started, finished=False)
            self.imports.report_progress(status, owner=self.owner, working_ms=work.working_ms)

    def checkpoint(self) -> None:
        """Save the progress so far and renew the lease."""
        work = self._work(self._clock())
        status = self.report.status(self.started, finished=False)
        lease_until = utc_now() + LEASE
        self.imports.save_progress(status, owner=self.owner, lease_until=lease_until, work=work)
        self._on_checkpoint(status)

    def structure_checked(self, records_total: int) -> None:
        """Remember that the file's structure was checked, and how many records it holds: a
        retry does not check it again."""
        self.report.records_total = records_total
        work = self._work(self._clock())
        status = self.report.status(self.started, finished=False)
        lease_until = utc_now() + LEASE
        self.imports.save_progress(
            status, owner=self.owner, lease_until=lease_until, work=work, checked=True
        )

    def pause(self) -> ImportStatus:
        work = self._work(self._clock())
        paused = self.report.status(self.started, finished=False)
        self.imports.save_progress(paused, owner=self.owner, lease_until=None, work=work)
        return paused

    def finish(self, failure: str | None = None) -> ImportStatus:
        if failure is not None:
            self.report.failure = failure
        work = self._work(self._clock())
        finished = self.report.status(self.started)
        self.imports.finish(
            finished, owner=self.owner, work=work, event=events.import_finished(finished)
        )
        return finished


def run_import(
    imports: "ImportStore",
    book: "IngestStore",
    job: ImportJob,
    open_stream: OpenStream,
    *,
    owner: str,
    remaining_ms: Callable[[], int],
    continue_later: Callable[[ImportJob], None],
    clock: Clock = time.monotonic,
    on_checkpoint: OnCheckpoint = _nothing,
) -> ImportStatus:
    """Import one S3 object, or resume it from its checkpoint.

    `owner` names this delivery (a retried invocation keeps it); a duplicate delivery while
    another holds the lease, or after the import finished, changes nothing and gets the stored
    status. When `remaining_ms` falls under RESERVE_MS, the progress is checkpointed and
    `continue_later` hands the rest to a new invocation. `clock` times the work (the rate, and
    when to show progress); `on_checkpoint` is told the status saved at each checkpoint.
    """
    now = utc_now()
    fresh = ImportStatus.started(job.import_id, job.bucket, job.key, now)
    claimed = imports.claim(fresh, owner=owner, now=now, lease_until=now + LEASE)
    if claimed is None:
        stored = imports.get(job.import_id)
        assert stored is not None
        return stored
    run = _Run(imports, owner, claimed, clock, on_checkpoint)
    if claimed.unfinished_attempts >= MAX_ATTEMPTS:
        return run.finish(
            f"every attempt failed: {claimed.unfinished_attempts} invocations took the import "
            "and ended without finishing it (out of memory, out of time or a crash)"
        )
    if not claimed.checked:
        try:
            records_total = check_structure(open_stream())
        except FileRejectedError as error:
            return run.finish(str(error))
        run.structure_checked(records_total)
    writer = BookWriter(book, run.report, resume_at=run.report.checkpoint)
    try:
        if _write_records(run, writer, open_stream, remaining_ms):
            paused = run.pause()  # first: the continuation must find the lease given up
            continue_later(job)
            return paused
    except LeaseLostError:
        raise
    except BaseException:
        imports.release(job.import_id, owner=owner)
        raise
    finally:
        writer.close()
    return run.finish()


def _write_records(
    run: _Run, writer: BookWriter, open_stream: OpenStream, remaining_ms: Callable[[], int]
) -> bool:
    """Write the file's records from the checkpoint on, checkpointing as they go; True when
    the invocation ran low on time and stopped at a checkpoint (everything before it written)."""
    resume_at = run.report.checkpoint
    try:
        for item in read_items(open_stream()):
            writer.add(item)
            run.progress(writer.position)
            if writer.position <= resume_at:
                continue
            if writer.position % CHECKPOINT_EVERY == 0:
                writer.settle()
                run.checkpoint()
            if remaining_ms() < RESERVE_MS:
                writer.settle()
                return True
    except FileRejectedError as error:
        run.report.failure = f"the file changed while it was read: {error}"
    writer.settle()
    return False


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
    imports: "ImportStore", job: ImportJob, *, failed_owners: Sequence[str], reason: str
) -> ImportStatus:
    """Mark an import FAILED with `reason` once every attempt at it failed (its event reached
    the function's on-failure destination, or its continuation the dead-letter redrive), and
    return its status.

    An import no attempt got as far as claiming is created FAILED, so the upload still has a
    status that says why. A finished import, or one another invocation is running now, is
    left as it is. The counts and rejections so far are kept.
    """
    now = utc_now()
    stored = imports.get(job.import_id)
    started = stored or ImportStatus.started(job.import_id, job.bucket, job.key, now)
    if started.status != "IN_PROGRESS":
        return started
    report = ImportReport.resumed(started)
    report.failure = reason
    failed = report.status(started)
    if imports.fail(
        failed,
        failed_owners=failed_owners,
        now=now,
        new=stored is None,
        event=events.import_finished(failed),
    ):
        return failed
    current = imports.get(job.import_id)
    assert current is not None
    return current
