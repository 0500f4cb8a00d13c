"""An import's report: its counts, its progress and its first rejections, each cut to a bound.

Whatever a file holds (a field name of a megabyte, a message quoting it), the report stays far
below DynamoDB's 400 KB item limit: MAX_ERRORS_KEPT errors, each path and message cut short.
"""

from dataclasses import dataclass, field

from advisor_book.import_reports import ImportStatus, RecordError
from advisor_book.models import utc_now

MAX_ERRORS_KEPT = 100
MAX_ERROR_PATH = 160
MAX_ERROR_MESSAGE = 240
MAX_NAME_IN_PATH = 64


@dataclass
class ImportReport:
    """Counts, progress and the first rejections of one import; `rejected` stays exact past
    the cap. `records_done` is what the import shows and only grows; `checkpoint` is how far
    every record is written, where a new invocation resumes."""

    advisors_upserted: int = 0
    clients_upserted: int = 0
    rejected: int = 0
    errors: list[RecordError] = field(default_factory=list)
    failure: str | None = None
    records_done: int = 0
    checkpoint: int = 0
    records_total: int | None = None
    records_per_second: int | None = None

    @classmethod
    def resumed(cls, status: ImportStatus, checkpoint: int = 0) -> "ImportReport":
        return cls(
            advisors_upserted=status.advisors_upserted,
            clients_upserted=status.clients_upserted,
            rejected=status.rejected,
            errors=list(status.errors),
            records_done=status.records_done,
            checkpoint=checkpoint,
            records_total=status.records_total,
            records_per_second=status.records_per_second,
        )

    def advance(self, position: int) -> None:
        """The records up to `position` are read and checked; records_done never goes back
        (a resumed import reads again the records before its checkpoint)."""
        self.records_done = max(self.records_done, position)

    def timed(self, working_ms: int) -> None:
        """Measure the rate over `working_ms`, the time worked on the import so far."""
        if working_ms > 0:
            self.records_per_second = self.records_done * 1000 // working_ms

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
                "records_total": self.records_total,
                "records_per_second": self.records_per_second,
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
