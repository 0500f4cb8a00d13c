"""`make import` without a stack: the progress bar and lines, the summary, following an import
to its end or to the timeout, the keys the trigger would ignore, and samconfig.toml's stacks."""

import io
from datetime import UTC, datetime
from typing import Any

import pytest

from advisor_book.import_reports import ImportStatus, RecordError
from local import deployed
from local.stack import upload
from local.stack.progress import Display, Lines, progress_text, render_bar, summary
from local.stack.upload import UploadError


def status(**changes: Any) -> ImportStatus:
    started = ImportStatus.started(
        "imp-0123456789abcdef01234567", "advisor-book-seed", "book.json", datetime.now(UTC)
    )
    return started.model_copy(update=changes)


# --- The bar and the lines ------------------------------------------------------------------


def test_the_bar_shows_done_of_total_the_rate_and_the_time_left() -> None:
    assert render_bar(50, 200, 10, width=20) == (
        "[#####...............] 50/200 records (25%), 10 records/s, ETA 0:15"
    )


def test_the_bar_is_full_when_every_record_is_done() -> None:
    assert render_bar(51_000, 51_000, 700, width=10) == (
        "[##########] 51,000/51,000 records (100%), 700 records/s, ETA 0:00"
    )


def test_a_long_time_left_is_shown_in_hours() -> None:
    assert (
        render_bar(0, 36_000, 1, width=4)
        == "[....] 0/36,000 records (0%), 1 records/s, ETA 10:00:00"
    )


def test_without_a_rate_the_time_left_is_unknown() -> None:
    assert render_bar(0, 100, None, width=4) == "[....] 0/100 records (0%), -- records/s, ETA --"
    assert render_bar(0, 100, 0, width=4) == "[....] 0/100 records (0%), 0 records/s, ETA --"


def test_without_a_total_the_bar_shows_only_the_count() -> None:
    assert render_bar(1_234, None, 99, width=4) == "[????] 1,234 records"


def test_an_empty_file_is_done_at_once() -> None:
    assert render_bar(0, 0, None, width=4) == "[####] 0/0 records (100%), -- records/s, ETA --"


def test_a_terminal_sees_one_line_redrawn_in_place() -> None:
    out = io.StringIO()
    display = Display(out)

    display.show(None, 0.0)
    display.show(status(records_total=100, records_done=40, records_per_second=20), 1.0)
    display.close()

    assert out.getvalue() == (
        "\rwaiting for the ingest to take the upload\x1b[K"
        f"\r{render_bar(40, 100, 20)}\x1b[K"
        "\r\x1b[K"
    )


def test_without_a_terminal_a_plain_line_is_printed_every_few_seconds() -> None:
    out = io.StringIO()
    lines = Lines(out, every=5.0)

    lines.show(status(), 0.0)
    lines.show(status(records_total=100, records_done=10, records_per_second=10), 1.0)
    lines.show(status(records_total=100, records_done=60, records_per_second=10), 5.0)
    lines.show(status(records_total=100, records_done=70, records_per_second=10), 9.0)
    lines.close()

    assert out.getvalue().splitlines() == [
        "checking the file's structure (first pass)",
        progress_text(60, 100, 10),
    ]


# --- The summary --------------------------------------------------------------------------


def test_the_summary_gives_the_status_the_counts_and_the_first_errors() -> None:
    errors = [RecordError(path=f"clients[{n}]", message="Field required") for n in range(12)]
    finished = status(
        status="PARTIAL",
        advisors_upserted=2,
        clients_upserted=1_000,
        rejected=12,
        errors=errors,
        records_done=1_014,
        records_total=1_014,
        records_per_second=507,
    )

    lines = summary(finished, errors_shown=3).splitlines()

    assert lines == [
        "PARTIAL: import imp-0123456789abcdef01234567 of s3://advisor-book-seed/book.json",
        "  1,014 records: 2 advisors and 1,000 clients upserted, 12 rejected, 507 records/s",
        "first errors:",
        "  clients[0]: Field required",
        "  clients[1]: Field required",
        "  clients[2]: Field required",
        "  and more in its report: GET /imports/imp-0123456789abcdef01234567",
    ]


def test_the_summary_of_a_failed_file_gives_the_reason() -> None:
    reason = "the file is not valid JSON: lexical error: invalid char in json text"
    failed = status(status="FAILED", errors=[RecordError(path="$", message=reason)])

    assert summary(failed).splitlines()[-2:] == ["first errors:", f"  $: {reason}"]


# --- Following --------------------------------------------------------------------------------


class Readings:
    """The statuses an import shows, one a reading, and a clock that moves a second a sleep."""

    def __init__(self, *statuses: ImportStatus | None) -> None:
        self.statuses = list(statuses)
        self.now = 0.0

    def read(self) -> ImportStatus | None:
        return self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_following_ends_with_the_finished_status_after_showing_the_progress() -> None:
    done = status(status="SUCCEEDED", records_done=10, records_total=10)
    readings = Readings(None, status(), status(records_done=5, records_total=10), done)
    out = io.StringIO()

    finished = upload.follow(
        readings.read,
        Lines(out, every=0),
        timeout=60,
        clock=lambda: readings.now,
        sleep=readings.sleep,
    )

    assert finished == done
    assert out.getvalue().splitlines() == [
        "waiting for the ingest to take the upload",
        "checking the file's structure (first pass)",
        progress_text(5, 10, None),
    ]


def test_following_gives_up_after_the_timeout() -> None:
    readings = Readings(status(records_done=5, records_total=10))

    finished = upload.follow(
        readings.read,
        Lines(io.StringIO()),
        timeout=30,
        clock=lambda: readings.now,
        sleep=readings.sleep,
    )

    assert finished is None
    assert readings.now == 30


# --- What is refused before uploading ---------------------------------------------------------


def test_a_key_the_trigger_ignores_is_refused_before_uploading(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "book.json"
    book.write_text('{"clients": []}')

    with pytest.raises(SystemExit) as exited:
        upload.main([str(book), "--key", "book.txt"])

    assert exited.value.code == 2
    assert "book.txt would not be imported: only keys that end with '.json'" in (
        capsys.readouterr().err
    )


def test_a_missing_file_is_refused(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        upload.main([str(tmp_path / "nowhere.json")])

    assert exited.value.code == 2
    assert "nowhere.json is not a file" in capsys.readouterr().err


def test_a_deployed_stack_is_named_by_its_samconfig_environment() -> None:
    assert deployed.settings("default") == ("advisor-book", None)
    assert deployed.settings("dev") == ("advisor-book-dev", None)
    assert deployed.settings("prod") == ("advisor-book-prod", None)
    with pytest.raises(UploadError, match="no deploy environment 'staging'"):
        upload.deployed_target("staging", None)
