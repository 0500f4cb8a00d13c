"""How `make import` shows an import while it runs and when it ends: a bar redrawn in place on
a terminal, a plain line every few seconds elsewhere, and a summary with the first errors."""

from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from advisor_book.import_reports import ImportStatus

LINE_EVERY_SECONDS = 5.0
BAR_WIDTH = 30
ERRORS_SHOWN = 10


def _duration(seconds: float) -> str:
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, seconds_left = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds_left:02d}" if hours else f"{minutes}:{seconds_left:02d}"


def progress_text(done: int, total: int | None, rate: int | None) -> str:
    """How far an import in its second pass has got: done/total, the rate and the time left."""
    if total is None:
        return f"{done:,} records"
    share = done * 100 // total if total else 100
    speed = f"{rate:,} records/s" if rate is not None else "-- records/s"
    left = f"ETA {_duration((total - done) / rate)}" if rate else "ETA --"
    return f"{done:,}/{total:,} records ({share}%), {speed}, {left}"


def render_bar(done: int, total: int | None, rate: int | None, width: int = BAR_WIDTH) -> str:
    """One line of a terminal's progress bar."""
    if total is None:
        return f"[{'?' * width}] {progress_text(done, total, rate)}"
    filled = min(width, done * width // total) if total else width
    return f"[{'#' * filled}{'.' * (width - filled)}] {progress_text(done, total, rate)}"


def phase(status: "ImportStatus | None") -> str | None:
    """What the import is doing when there is no count to show yet, or None."""
    if status is None:
        return "waiting for the ingest to take the upload"
    if status.records_total is None and not status.records_done:
        return "checking the file's structure (first pass)"
    return None


class Display:
    """Progress as a terminal shows it: one bar, redrawn in place."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out

    def show(self, status: "ImportStatus | None", now: float) -> None:
        waiting = phase(status)
        line = (
            waiting
            if waiting is not None or status is None
            else render_bar(status.records_done, status.records_total, status.records_per_second)
        )
        self.out.write(f"\r{line}\x1b[K")
        self.out.flush()

    def close(self) -> None:
        self.out.write("\r\x1b[K")
        self.out.flush()


class Lines(Display):
    """Progress where there is no terminal (a log, a pipe): a plain line every few seconds."""

    def __init__(self, out: IO[str], every: float = LINE_EVERY_SECONDS) -> None:
        super().__init__(out)
        self.every = every
        self.last: float | None = None

    def show(self, status: "ImportStatus | None", now: float) -> None:
        if self.last is not None and now - self.last < self.every:
            return
        self.last = now
        waiting = phase(status)
        line = (
            waiting
            if waiting is not None or status is None
            else progress_text(status.records_done, status.records_total, status.records_per_second)
        )
        print(line, file=self.out, flush=True)

    def close(self) -> None:
        pass


def summary(status: "ImportStatus", errors_shown: int = ERRORS_SHOWN) -> str:
    """The outcome: status, counts, rate, and the first errors."""
    rate = f", {status.records_per_second:,} records/s" if status.records_per_second else ""
    lines = [
        f"{status.status}: import {status.import_id} of s3://{status.bucket}/{status.key}",
        f"  {status.records_done:,} records: {status.advisors_upserted:,} advisors and "
        f"{status.clients_upserted:,} clients upserted, {status.rejected:,} rejected{rate}",
    ]
    if status.errors:
        lines.append("first errors:")
        lines += [f"  {e.path}: {e.message}" for e in status.errors[:errors_shown]]
        if len(status.errors) > errors_shown:
            lines.append(f"  and more in its report: GET /imports/{status.import_id}")
    return "\n".join(lines)
