"""An import's report as the API shows it and the import item stores it: status, counts,
progress and the first rejections."""

from datetime import datetime
from typing import Literal, Self

from pydantic import Field

from advisor_book.models import Model, Timestamp

ImportState = Literal["IN_PROGRESS", "SUCCEEDED", "PARTIAL", "FAILED"]


class RecordError(Model):
    path: str = Field(examples=["clients[41].accounts[0].value"])
    message: str


class ImportStatus(Model):
    import_id: str
    bucket: str
    key: str
    status: ImportState
    advisors_upserted: int
    clients_upserted: int
    rejected: int = Field(description="Records rejected; exact even when errors is cut at 100.")
    errors: list[RecordError] = Field(description="The first 100 rejections, in file order.")
    records_done: int = Field(
        default=0,
        description="Records (array elements) read and checked so far, in file order; updated "
        "at least every 2 seconds of work while the import runs, and never lowered.",
    )
    records_total: int | None = Field(
        default=None,
        description="Records (array elements) in the file, known once the first pass over it "
        "has ended; null until then, and for a file rejected as a whole in that pass.",
    )
    records_per_second: int | None = Field(
        default=None,
        description="records_done per second of the time the ingest has worked on the import "
        "(both passes, every invocation), rounded down; null until it is first measured.",
    )
    started_at: Timestamp
    finished_at: Timestamp | None

    @classmethod
    def started(cls, import_id: str, bucket: str, key: str, at: datetime) -> Self:
        """A new import: in progress, nothing counted yet."""
        return cls(
            import_id=import_id,
            bucket=bucket,
            key=key,
            status="IN_PROGRESS",
            advisors_upserted=0,
            clients_upserted=0,
            rejected=0,
            errors=[],
            records_done=0,
            records_total=None,
            records_per_second=None,
            started_at=at,
            finished_at=None,
        )


class ImportPage(Model):
    items: list[ImportStatus]
    next_token: str | None
