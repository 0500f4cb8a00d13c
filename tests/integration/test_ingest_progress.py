"""An import a user can watch: its total once the first pass ends, records_done at least every
two seconds of work between checkpoints, a rate over the time worked, and log lines that count
without quoting.

The clock that times the work is injected: it moves a fixed step each time it is read, so the
progress updates are decided by the work done, never by how fast the machine runs the test.
"""

import io
import itertools
import json
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from advisor_book.import_reports import ImportStatus
from advisor_book.ingest import importer
from advisor_book.ingest.importer import PROGRESS_EVERY, ImportJob
from advisor_book.store.imports import ImportStore
from advisor_book.store.ingest import IngestStore
from local.harness import template
from tests.conftest import BUCKET, LambdaTime, Stores
from tests.integration.test_ingest_faults import (
    BOOK,
    BOOK_RECORDS,
    put_seed_object,
)

Functions = Callable[[str], Callable[[dict[str, Any]], Any]]

STEP = 1 / 64
"""Seconds the injected clock moves at each reading: a binary fraction, so its sums are exact."""


class StepClock:
    """A monotonic clock that moves STEP seconds each time it is read (from `origin`): the
    importer reads it once a record, so time goes by as records are handled."""

    def __init__(self, origin: float = 0.0) -> None:
        self.origin = origin
        self.readings = 0

    def __call__(self) -> float:
        self.readings += 1
        return self.now

    @property
    def now(self) -> float:
        return self.origin + self.readings * STEP

    @property
    def worked_ms(self) -> int:
        """The time between the first and the last reading, as the importer counts it."""
        return int((self.readings - 1) * STEP * 1000)


@dataclass(frozen=True)
class Shown:
    """One write of the import item, when the clock read `at`, and the item as stored after."""

    at: float
    write: str
    stored: ImportStatus


def watch_writes(monkeypatch: pytest.MonkeyPatch, clock: StepClock) -> list[Shown]:
    """Every write of an import's status (progress, checkpoints, pause, finish), each with the
    status read back from the table right after it."""
    shown: list[Shown] = []

    def recorded(name: str) -> Callable[..., None]:
        real = getattr(ImportStore, name)

        def write(self: ImportStore, status: ImportStatus, *args: Any, **kwargs: Any) -> None:
            real(self, status, *args, **kwargs)
            stored = self.get(status.import_id)
            assert stored is not None
            shown.append(Shown(clock.now, name, stored))

        return write

    for name in ("report_progress", "save_progress", "finish"):
        monkeypatch.setattr(ImportStore, name, recorded(name))
    return shown


def run(
    stores: Stores,
    body: bytes | Callable[[], io.BytesIO],
    clock: StepClock,
    *,
    owner: str = "req-1",
    time: LambdaTime | None = None,
) -> ImportStatus:
    """One invocation of the ingest on `body`, timed by `clock`."""
    job = ImportJob(bucket=BUCKET, key="book.json", version="v1")
    return importer.run_import(
        stores.imports,
        stores.ingest,
        job,
        body if callable(body) else lambda: io.BytesIO(body),
        owner=owner,
        remaining_ms=(time or LambdaTime()).remaining_ms,
        continue_later=lambda _: None,
        clock=clock,
    )


def crash_on_client_batch(monkeypatch: pytest.MonkeyPatch, number: int) -> None:
    """The invocation dies while writing its `number`th batch of clients."""
    real_put_clients = IngestStore.put_clients
    lock = threading.Lock()
    calls = 0

    def put_clients(self: IngestStore, writes: Any) -> None:
        nonlocal calls
        with lock:
            calls += 1
            crash = calls == number
        if crash:
            raise RuntimeError("the invocation crashed while writing clients")
        real_put_clients(self, writes)

    monkeypatch.setattr(IngestStore, "put_clients", put_clients)


# --- Progress between checkpoints ------------------------------------------------------------


def test_a_running_import_shows_its_progress_at_least_every_two_seconds_of_work(
    stores: Stores, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "CHECKPOINT_EVERY", 400)
    clock = StepClock()
    shown = watch_writes(monkeypatch, clock)

    finished = run(stores, BOOK, clock)

    assert (finished.status, finished.records_done) == ("SUCCEEDED", BOOK_RECORDS)
    structure_checked, *second_pass = shown
    assert structure_checked.stored.records_done == 0
    times = [structure_checked.at] + [s.at for s in second_pass]
    assert max(later - earlier for earlier, later in itertools.pairwise(times)) <= PROGRESS_EVERY
    progress = [s.stored for s in second_pass if s.write == "report_progress"]
    checkpoints = [s.stored for s in second_pass if s.write == "save_progress"]
    assert [c.records_done for c in checkpoints] == [400, 800]
    # Each checkpoint is 400 readings (6.25 s of work) from the last: shown in between too.
    assert len(progress) >= 3 * len(checkpoints)
    done = [s.stored.records_done for s in second_pass]
    assert done == sorted(done)
    assert all(b.records_done > a.records_done for a, b in itertools.pairwise(progress))
    assert all(p.status == "IN_PROGRESS" and p.records_per_second for p in progress)
    assert {s.stored.records_total for s in second_pass} == {BOOK_RECORDS}


def test_the_total_is_unknown_during_the_first_pass_and_set_when_it_ends(
    stores: Stores,
) -> None:
    job = ImportJob(bucket=BUCKET, key="book.json", version="v1")
    seen_at_each_pass: list[ImportStatus] = []

    class Watched(io.BytesIO):
        """The file: when a pass starts reading it, the import as stored is looked at."""

        looked = False

        def read(self, size: int | None = -1) -> bytes:
            if not self.looked:
                self.looked = True
                stored = stores.imports.get(job.import_id)
                assert stored is not None
                seen_at_each_pass.append(stored)
            return super().read(size)

    finished = run(stores, lambda: Watched(BOOK), StepClock())

    first_pass, second_pass = seen_at_each_pass
    assert (first_pass.records_total, first_pass.records_done) == (None, 0)
    assert (second_pass.records_total, second_pass.records_done) == (BOOK_RECORDS, 0)
    assert (finished.records_total, finished.records_done) == (BOOK_RECORDS, BOOK_RECORDS)


def test_a_file_rejected_in_the_first_pass_has_no_total(stores: Stores) -> None:
    failed = run(stores, b'{"clients": [{"first_name": "Ada"', StepClock())

    assert (failed.status, failed.records_total, failed.records_done) == ("FAILED", None, 0)


# --- The rate -----------------------------------------------------------------------------------


def test_the_rate_is_records_done_per_second_of_the_time_every_invocation_worked(
    stores: Stores,
) -> None:
    first_clock = StepClock()
    paused = run(stores, BOOK, first_clock, time=LambdaTime(calls_before_low=300))
    assert paused.status == "IN_PROGRESS"
    assert paused.records_per_second == paused.records_done * 1000 // first_clock.worked_ms

    # The continuation runs on another instance, whose monotonic clock has another origin;
    # the time between the two invocations is not work.
    second_clock = StepClock(origin=86_400.0)
    finished = run(stores, BOOK, second_clock, owner="message-1")

    worked_ms = first_clock.worked_ms + second_clock.worked_ms
    assert finished.status == "SUCCEEDED"
    assert finished.records_per_second == BOOK_RECORDS * 1000 // worked_ms
    assert isinstance(finished.records_per_second, int)


# --- records_done never goes back; a FAILED import keeps its counts ------------------------


def crashed_import(stores: Stores, monkeypatch: pytest.MonkeyPatch) -> ImportStatus:
    """An import that checkpointed every 200 records, showed progress past its last checkpoint,
    then crashed; its status as stored."""
    monkeypatch.setattr(importer, "CHECKPOINT_EVERY", 200)
    with monkeypatch.context() as crashing:
        crash_on_client_batch(crashing, 5)
        with pytest.raises(RuntimeError, match="crashed while writing clients"):
            run(stores, BOOK, StepClock())
    crashed = stores.imports.get(ImportJob(bucket=BUCKET, key="book.json", version="v1").import_id)
    assert crashed is not None
    assert crashed.status == "IN_PROGRESS"
    return crashed


def test_the_retry_of_a_crashed_import_counts_on_from_what_it_showed(
    stores: Stores, monkeypatch: pytest.MonkeyPatch
) -> None:
    crashed = crashed_import(stores, monkeypatch)
    # Its clients' batches are written up to the checkpoint at 400; it showed more than that.
    assert crashed.records_done > 400
    clock = StepClock()
    shown = watch_writes(monkeypatch, clock)

    retried = run(stores, BOOK, clock)

    assert (retried.status, retried.records_done) == ("SUCCEEDED", BOOK_RECORDS)
    done = [s.stored.records_done for s in shown]
    assert done == sorted(done)
    assert done[0] >= crashed.records_done


def test_an_import_that_failed_for_good_keeps_its_progress(
    stores: Stores, monkeypatch: pytest.MonkeyPatch
) -> None:
    crashed = crashed_import(stores, monkeypatch)
    job = ImportJob(bucket=BUCKET, key="book.json", version="v1")

    failed = importer.fail_import(
        stores.imports, job, failed_owners=["req-1"], reason="every attempt failed"
    )

    assert failed.status == "FAILED"
    kept = ("records_done", "records_total", "records_per_second", "clients_upserted")
    assert {name: getattr(failed, name) for name in kept} == {
        name: getattr(crashed, name) for name in kept
    }
    assert crashed.records_per_second
    stored = stores.imports.get(job.import_id)
    assert stored is not None
    assert {name: getattr(stored, name) for name in kept} == {
        name: getattr(crashed, name) for name in kept
    }


# --- Log lines ----------------------------------------------------------------------------


@pytest.fixture
def printed_logs(functions: Functions) -> Iterator[io.StringIO]:
    """What the ingest function prints to its log (CloudWatch), from its loading on."""
    functions("IngestFunction")
    service = template.functions()["IngestFunction"].environment["POWERTOOLS_SERVICE_NAME"]
    handlers = [
        h for h in logging.getLogger(service).handlers if isinstance(h, logging.StreamHandler)
    ]
    assert handlers
    printed = io.StringIO()
    streams = [handler.setStream(printed) for handler in handlers]
    yield printed
    for handler, stream in zip(handlers, streams, strict=True):
        handler.setStream(stream)


PRIVATE_NAMES = ("Ottoline Quarrington", "Bartholomew", "Vanterpool", "Philippa", "Okonkwo")
PRIVATE_VALUES = ("48213.77", "90817.35", "61442.09", "7731.19")


def private_book() -> dict[str, Any]:
    """40 records with names and values found nowhere else, and two records rejected for them."""
    clients = [
        {
            "id": f"cli-log-{n:02d}",
            "first_name": "Bartholomew" if n % 2 else "Philippa",
            "last_name": "Vanterpool" if n % 3 else "Okonkwo",
            "accounts": [{"type": "Trust", "value": float(PRIVATE_VALUES[n % 3])}],
        }
        for n in range(37)
    ]
    clients.append(
        {
            "id": "cli-log-bad",
            "first_name": "Philippa",
            "last_name": "Okonkwo",
            "accounts": [{"type": "IRA", "value": -7731.19}],
        }
    )
    clients.append({"id": "cli-log-long", "first_name": "Okonkwo" * 40, "last_name": "Vanterpool"})
    advisor = {"id": "adv-log", "name": "Ottoline Quarrington", "focus_areas": ["Tax Planning"]}
    return {"financial_advisors": [advisor], "clients": clients}


def test_the_ingest_logs_each_checkpoint_with_counts_and_rate_and_nothing_a_record_holds(
    functions: Functions,
    printed_logs: io.StringIO,
    seed_bucket: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(importer, "CHECKPOINT_EVERY", 10)

    body = json.dumps(private_book()).encode()
    assert all(private.encode() in body for private in PRIVATE_NAMES + PRIVATE_VALUES)

    result = functions("IngestFunction")(put_seed_object(seed_bucket, body))

    assert result["imports"][0]["status"] == "PARTIAL"
    lines = [json.loads(line) for line in printed_logs.getvalue().splitlines()]
    checkpoints = [line for line in lines if line["message"] == "import checkpoint"]
    assert [c["records_done"] for c in checkpoints] == [10, 20, 30, 40]
    assert all(c["records_total"] == 40 for c in checkpoints)
    assert [
        c["advisors_upserted"] + c["clients_upserted"] + c["rejected"] for c in checkpoints
    ] == [10, 20, 30, 40]
    # Timed by the machine's clock here: a rate, or null if no millisecond went by yet.
    assert all(type(c["records_per_second"]) in (int, type(None)) for c in checkpoints)

    (finished,) = [line for line in lines if line["message"] == "import finished"]
    assert (finished["records_done"], finished["rejected"]) == (40, 2)
    printed = printed_logs.getvalue() + capsys.readouterr().out
    assert [private for private in PRIVATE_NAMES + PRIVATE_VALUES if private in printed] == []
