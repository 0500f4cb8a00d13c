"""The seed-file ingest under faults: bad files and records, throttled batch writes, duplicate
deliveries, a crash mid-file and its retry, and an import paused for time and continued.

Each test is deterministic: no sleeps and no clock. Remaining Lambda time is scripted with
LambdaTime, the clock that times the work stands still (no progress update between
checkpoints), throttling and crashes are injected by wrapping the repository, and the backoff
between retries is patched to return at once.
"""

import copy
import io
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import boto3
import pytest

from advisor_book import keys
from advisor_book.import_reports import ImportStatus
from advisor_book.ingest import importer
from advisor_book.ingest.importer import ImportJob
from advisor_book.models import utc_now
from advisor_book.store.core import Table
from advisor_book.store.ingest import IngestStore
from local.harness import template
from local.harness.events import s3_put_event
from local.stack.notifications import sqs_event
from local.tools.generate_seed import write_seed
from tests.conftest import BUCKET, ROOT, HttpResponse, LambdaTime, Stores

Api = Callable[..., HttpResponse]
Functions = Callable[[str], Callable[[dict[str, Any]], Any]]
LoadSeed = Callable[[Any], ImportStatus]
Item = dict[str, Any]

SEED_BYTES = (ROOT / "data.json").read_bytes()
SEED: dict[str, Any] = json.loads(SEED_BYTES)
CLEAN_TABLE = "CleanBookTable"

BOOK_CLIENTS = 1_000
BOOK_ADVISORS = 20
BOOK_RECORDS = BOOK_ADVISORS + BOOK_CLIENTS


def generated_book(clients: int, advisors: int) -> bytes:
    out = io.StringIO()
    write_seed(out, clients, advisors)
    return out.getvalue().encode()


BOOK = generated_book(BOOK_CLIENTS, BOOK_ADVISORS)


# --- Helpers ------------------------------------------------------------------------------


def table_items(table: str, *, imports: bool = False) -> list[Item]:
    """Every item of the table as stored (one paginated, consistent Scan), sorted by PK/SK;
    the IMPORT# status items only when asked for."""
    paginator = boto3.client("dynamodb").get_paginator("scan")
    items: list[Item] = [
        dict(item)
        for page in paginator.paginate(TableName=table, ConsistentRead=True)
        for item in page["Items"]
    ]
    if not imports:
        items = [item for item in items if not item[keys.PK]["S"].startswith("IMPORT#")]
    return sorted(items, key=lambda item: (item[keys.PK]["S"], item[keys.SK]["S"]))


def partitions(items: list[Item]) -> set[str]:
    return {item[keys.PK]["S"] for item in items}


def stored_client_ids(table: str) -> list[str]:
    return sorted(
        item["client_id"]["S"]
        for item in table_items(table)
        if item[keys.PK]["S"].startswith(keys.client_pk("")) and item[keys.SK]["S"] == keys.PROFILE
    )


def import_file(
    stores: Stores,
    job: ImportJob,
    body: bytes,
    *,
    owner: str,
    time: LambdaTime | None = None,
    handed_over: list[ImportJob] | None = None,
) -> ImportStatus:
    """One invocation's run of the ingest on `body`; continuations are collected, not sent."""
    collected: list[ImportJob] = [] if handed_over is None else handed_over
    return importer.run_import(
        stores.imports,
        stores.ingest,
        job,
        lambda: io.BytesIO(body),
        owner=owner,
        remaining_ms=(time or LambdaTime()).remaining_ms,
        continue_later=collected.append,
        clock=lambda: 0.0,
    )


def counts(status: ImportStatus) -> tuple[str, int, int, int, int]:
    return (
        status.status,
        status.advisors_upserted,
        status.clients_upserted,
        status.rejected,
        status.records_done,
    )


@pytest.fixture
def clean_stores(resources: dict[str, str]) -> Stores:
    """A second, empty table built from the same template definition, in the same moto account,
    for a reference run of a file that never met a fault. Two tables side by side keep the
    faulty run and the clean run independent without deleting anything in between."""
    dynamodb = boto3.client("dynamodb")
    dynamodb.create_table(**template.table_definition(CLEAN_TABLE, logical_id="BookTable"))
    return Stores.over(Table(dynamodb, CLEAN_TABLE))


def put_seed_object(bucket: str, body: bytes, key: str = "data.json") -> dict[str, Any]:
    """Put an object into the seed bucket; returns its S3 put event (version id and ETag)."""
    put = boto3.client("s3").put_object(Bucket=bucket, Key=key, Body=body)
    return s3_put_event(bucket, key, version_id=put["VersionId"], etag=put["ETag"])


def continuation_messages(queue_url: str) -> list[dict[str, Any]]:
    response = boto3.client("sqs").receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)
    return [dict(message) for message in response.get("Messages", [])]


# --- 1. A catalog of bad files and bad records ---------------------------------------------

NEW_CLIENT_ID = "cli-9001"
NEW_CLIENT: dict[str, Any] = {
    "id": NEW_CLIENT_ID,
    "first_name": "Nova",
    "last_name": "Reyes",
    "accounts": [{"id": "acc-9001", "type": "IRA", "value": 1500.25}],
}
NEW_CLIENT_ONLY = frozenset({keys.client_pk(NEW_CLIENT_ID)})
RAW = "<<raw value>>"


def stored_advisor(advisor_id: str = "adv-001", **changes: Any) -> dict[str, Any]:
    """An advisor of data.json, changed so that writing it would show in the table."""
    advisor = next(a for a in SEED["financial_advisors"] if a["id"] == advisor_id)
    return {**copy.deepcopy(advisor), **changes}


def changed_client(value: Any = 250.5, **changes: Any) -> dict[str, Any]:
    """cli-0002 of data.json, renamed and with a second account holding `value`: if any of it
    were written, the stored client would change."""
    client = next(c for c in SEED["clients"] if c["id"] == "cli-0002")
    changed = copy.deepcopy(client)
    changed["last_name"] = "Zhang-Rewritten"
    changed["accounts"].append({"id": "acc-7777", "type": "Brokerage", "value": value})
    return {**changed, **changes}


def with_raw(document: Any, raw: bytes) -> bytes:
    """The document as JSON with the one RAW placeholder replaced by bytes json cannot write
    (1e400, NaN, 12.345 as written)."""
    body = json.dumps(document).encode()
    placeholder = json.dumps(RAW).encode()
    assert body.count(placeholder) == 1
    return body.replace(placeholder, raw)


def nested(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {"junk": True}
    for _ in range(depth - 1):
        value = {"deeper": value}
    return value


CHANGED_BOOK: dict[str, Any] = {
    "financial_advisors": [stored_advisor(name="Renamed By A Bad File", capacity=1)],
    "clients": [NEW_CLIENT, changed_client()],
}


def truncated() -> bytes:
    """CHANGED_BOOK cut inside its second client, after a complete good new client."""
    body = json.dumps(CHANGED_BOOK).encode()
    cut = body[: body.rindex(b"Zhang-Rewritten")]
    assert json.dumps(NEW_CLIENT).encode() in cut
    return cut


@dataclass(frozen=True)
class BadFile:
    body: bytes
    status: str
    errors: tuple[tuple[str, str], ...]
    """Each error's path and a key word of its message."""
    rejected: int
    new_partitions: frozenset[str] = frozenset()
    """The partitions the good records of the file may create; nothing else may change."""


def whole_file(body: bytes, word: str) -> BadFile:
    return BadFile(body, "FAILED", (("$", word),), rejected=0)


def one_bad_record(body: bytes | dict[str, Any], path: str, word: str) -> BadFile:
    """A file whose only bad record is at `path`, next to one good new client."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return BadFile(data, "PARTIAL", ((path, word),), rejected=1, new_partitions=NEW_CLIENT_ONLY)


def bad_value(raw: bytes) -> bytes:
    """The good new client, then cli-0002 changed with an account value written as `raw`."""
    return with_raw({"clients": [NEW_CLIENT, changed_client(value=RAW)]}, raw)


VALUE_PATH = "clients[1].accounts[1].value"

CATALOG = [
    # Whole-file problems: FAILED, one error at "$", nothing written.
    pytest.param(
        whole_file(b"financial_advisors: adv-001 Renamed By A Bad File", "not valid JSON"),
        id="not-json",
    ),
    pytest.param(whole_file(b"", "empty"), id="empty"),
    pytest.param(whole_file(b" \n\t\r\n   \n", "empty"), id="whitespace-only"),
    pytest.param(
        whole_file(json.dumps(CHANGED_BOOK["clients"]).encode(), "must be a JSON object"),
        id="top-level-array",
    ),
    pytest.param(
        whole_file(json.dumps("clients").encode(), "must be a JSON object"),
        id="top-level-string",
    ),
    pytest.param(
        whole_file(
            json.dumps(
                {
                    "advisors": CHANGED_BOOK["financial_advisors"],
                    "customers": CHANGED_BOOK["clients"],
                }
            ).encode(),
            "neither a financial_advisors nor a clients array",
        ),
        id="neither-array",
    ),
    pytest.param(
        whole_file(
            json.dumps(
                {"financial_advisors": CHANGED_BOOK["financial_advisors"], "clients": NEW_CLIENT}
            ).encode(),
            "clients must be an array",
        ),
        id="section-not-an-array",
    ),
    pytest.param(
        whole_file(
            with_raw({**CHANGED_BOOK, "clients": [NEW_CLIENT, changed_client(RAW)]}, b"NaN"),
            "not valid JSON",
        ),
        id="value-nan-literal",
    ),
    pytest.param(
        whole_file(
            with_raw({**CHANGED_BOOK, "clients": [NEW_CLIENT, changed_client(RAW)]}, b"Infinity"),
            "not valid JSON",
        ),
        id="value-infinity-literal",
    ),
    pytest.param(whole_file(truncated(), "ends early"), id="truncated"),
    # Record-level problems: the bad record rejected with its path, the good new client written.
    pytest.param(
        one_bad_record(
            {"financial_advisors": [stored_advisor(name=42)], "clients": [NEW_CLIENT]},
            "financial_advisors[0].name",
            "valid string",
        ),
        id="name-as-number",
    ),
    pytest.param(
        one_bad_record(
            {
                "financial_advisors": [stored_advisor(focus_areas="Tax Planning")],
                "clients": [NEW_CLIENT],
            },
            "financial_advisors[0].focus_areas",
            "valid list",
        ),
        id="focus-areas-as-string",
    ),
    pytest.param(
        one_bad_record(bad_value(b"-1"), VALUE_PATH, "greater than or equal to 0"),
        id="negative-value",
    ),
    pytest.param(
        one_bad_record(bad_value(b"1e400"), VALUE_PATH, "less than or equal to"),
        id="value-beyond-a-double",
    ),
    pytest.param(
        one_bad_record(bad_value(b"1e13"), VALUE_PATH, "less than or equal to"),
        id="value-over-the-maximum",
    ),
    pytest.param(
        one_bad_record(bad_value(b'"12.50"'), VALUE_PATH, "not a string"),
        id="value-as-string",
    ),
    pytest.param(
        one_bad_record(bad_value(b"12.345"), VALUE_PATH, "2 decimal places"),
        id="value-with-three-decimals",
    ),
    pytest.param(
        one_bad_record(
            {"clients": [NEW_CLIENT, changed_client(last_name="x" * 201)]},
            "clients[1].last_name",
            "200 characters",
        ),
        id="overlong-string",
    ),
    pytest.param(
        one_bad_record(
            {"clients": [NEW_CLIENT, {**NEW_CLIENT, "first_name": "Second", "accounts": []}]},
            "clients[1]",
            f"duplicate client id {NEW_CLIENT_ID}",
        ),
        id="duplicate-client-id",
    ),
    pytest.param(
        one_bad_record(
            {
                "financial_advisors": [
                    stored_advisor(),
                    stored_advisor(name="Second Copy", capacity=1),
                ],
                "clients": [NEW_CLIENT],
            },
            "financial_advisors[1]",
            "duplicate advisor id adv-001",
        ),
        id="duplicate-advisor-id",
    ),
    pytest.param(
        one_bad_record(
            {"clients": [NEW_CLIENT, changed_client(nickname="Mo")]},
            "clients[1].nickname",
            "not permitted",
        ),
        id="unknown-record-field",
    ),
    pytest.param(
        one_bad_record(
            {"clients": [NEW_CLIENT], "notes": {"clients": [changed_client()], "by": "ops"}},
            "notes",
            "unknown top-level field",
        ),
        id="unknown-top-level-field",
    ),
    pytest.param(
        one_bad_record(
            {"clients": [NEW_CLIENT, changed_client(extra=nested(100))]},
            "clients[1]",
            "nested too deeply",
        ),
        id="deeply-nested-junk",
    ),
    pytest.param(
        BadFile(
            with_raw(
                {
                    "financial_advisors": [stored_advisor(name=42)],
                    "clients": [changed_client(value=RAW)],
                },
                b"-1",
            ),
            "FAILED",
            (
                ("financial_advisors[0].name", "valid string"),
                ("clients[0].accounts[1].value", "greater than or equal to 0"),
            ),
            rejected=2,
        ),
        id="every-record-rejected",
    ),
]


@pytest.mark.parametrize("case", CATALOG)
def test_a_bad_file_or_record_is_reported_with_its_path_and_changes_nothing_stored(
    case: BadFile,
    seeded: dict[str, Any],
    load_seed: LoadSeed,
    stores: Stores,
    table: str,
) -> None:
    before = table_items(table)

    status = load_seed(case.body)

    assert status.status == case.status
    assert status.rejected == case.rejected
    assert [error.path for error in status.errors] == [path for path, _ in case.errors]
    for error, (_, word) in zip(status.errors, case.errors, strict=True):
        assert word in error.message, error
    stored = stores.imports.get(status.import_id)
    assert stored is not None
    assert stored.model_dump(mode="json") == status.model_dump(mode="json")
    after = table_items(table)
    assert [item for item in after if item[keys.PK]["S"] not in case.new_partitions] == before
    assert partitions(after) - partitions(before) == case.new_partitions
    if case.new_partitions:
        client = stores.book.client(NEW_CLIENT_ID)
        assert client is not None
        assert (client.first_name, client.last_name) == ("Nova", "Reyes")


# --- 2. Throttled batch writes ---------------------------------------------------------------

THROTTLED_CALLS = 40


@pytest.mark.slow
def test_items_dynamodb_leaves_unprocessed_are_retried_until_every_client_is_stored(
    stores: Stores,
    clean_stores: Stores,
    load_seed: LoadSeed,
    table: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("advisor_book.retry.time.sleep", lambda _seconds: None)
    real_batch_write = stores.table.db.batch_write_item
    lock = threading.Lock()
    throttled_calls = 0
    unprocessed_returned = 0

    def throttled(**request: Any) -> Any:
        """For the first THROTTLED_CALLS batches of two or more, DynamoDB writes the first half
        and hands the rest back as UnprocessedItems."""
        nonlocal throttled_calls, unprocessed_returned
        ((table_name, puts),) = request["RequestItems"].items()
        with lock:
            throttle = throttled_calls < THROTTLED_CALLS and len(puts) > 1
            if throttle:
                throttled_calls += 1
                unprocessed_returned += len(puts) - len(puts) // 2
        if not throttle:
            return real_batch_write(**request)
        written, left = puts[: len(puts) // 2], puts[len(puts) // 2 :]
        response = real_batch_write(RequestItems={table_name: written})
        return {**response, "UnprocessedItems": {table_name: left}}

    monkeypatch.setattr(stores.table.db, "batch_write_item", throttled)

    status = load_seed(BOOK)

    assert throttled_calls == THROTTLED_CALLS
    assert unprocessed_returned > 0
    assert (status.status, status.clients_upserted, status.rejected) == ("SUCCEEDED", 1_000, 0)
    assert len(stored_client_ids(table)) == BOOK_CLIENTS
    import_file(clean_stores, ImportJob(bucket=BUCKET, key="book.json"), BOOK, owner="clean")
    assert table_items(table) == table_items(CLEAN_TABLE)


# --- 3. Duplicate delivery ----------------------------------------------------------------


def test_the_same_s3_event_delivered_twice_is_one_import_and_the_second_changes_nothing(
    functions: Functions, seed_bucket: str, table: str
) -> None:
    event = put_seed_object(seed_bucket, SEED_BYTES)
    ingest_function = functions("IngestFunction")

    first = ingest_function(event)
    after_first = table_items(table, imports=True)
    second = ingest_function(event)

    (outcome,) = first["imports"]
    assert outcome["status"] == "SUCCEEDED"
    assert second == {"imports": [{"import_id": outcome["import_id"], "status": "SUCCEEDED"}]}
    assert table_items(table, imports=True) == after_first


def test_a_delivery_while_another_invocation_holds_the_import_changes_nothing(
    functions: Functions,
    seed_bucket: str,
    stores: Stores,
    resources: dict[str, str],
    table: str,
) -> None:
    event = put_seed_object(seed_bucket, SEED_BYTES)
    version_id = event["Records"][0]["s3"]["object"]["versionId"]
    job = ImportJob(bucket=seed_bucket, key="data.json", version=version_id, version_id=version_id)
    now = utc_now()
    running = ImportStatus.started(job.import_id, job.bucket, job.key, now)
    # A lease a day long: the other invocation holds it whatever the clock says meanwhile.
    claimed = stores.imports.claim(
        running, owner="someone-else", now=now, lease_until=now + timedelta(days=1)
    )
    assert claimed is not None
    before = table_items(table, imports=True)

    result = functions("IngestFunction")(event)

    assert result == {"imports": [{"import_id": job.import_id, "status": "IN_PROGRESS"}]}
    assert table_items(table, imports=True) == before
    assert stored_client_ids(table) == []
    assert continuation_messages(resources["IngestContinuationQueue"]) == []


# --- 4. A crash mid-file, then the retry -----------------------------------------------------


@pytest.mark.slow
def test_an_import_that_crashed_mid_file_is_finished_by_its_retry_as_a_clean_run_would(
    stores: Stores,
    clean_stores: Stores,
    table: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(importer, "CHECKPOINT_EVERY", 200)
    job = ImportJob(bucket=BUCKET, key="book.json", version="v1")
    clean = import_file(clean_stores, job, BOOK, owner="clean")
    real_put_clients = IngestStore.put_clients
    lock = threading.Lock()
    calls = 0

    def crash_on_third_batch(self: IngestStore, writes: Any) -> None:
        nonlocal calls
        with lock:
            calls += 1
            crash = calls == 3
        if crash:
            raise RuntimeError("the invocation crashed while writing clients")
        real_put_clients(self, writes)

    handed_over: list[ImportJob] = []
    with monkeypatch.context() as crashing:
        crashing.setattr(IngestStore, "put_clients", crash_on_third_batch)
        with pytest.raises(RuntimeError, match="crashed while writing clients"):
            import_file(stores, job, BOOK, owner="req-1", handed_over=handed_over)

    crashed = stores.imports.get(job.import_id)
    assert crashed is not None
    assert crashed.status == "IN_PROGRESS"
    # Clients are written 100 at a time: the third batch falls after the checkpoint at 200
    # and before the one at 400, so the retry starts from 200.
    assert crashed.records_done == 200

    retried = import_file(stores, job, BOOK, owner="req-1", handed_over=handed_over)

    assert retried.status == "SUCCEEDED"
    assert counts(retried) == counts(clean)
    assert (retried.advisors_upserted, retried.clients_upserted) == (BOOK_ADVISORS, BOOK_CLIENTS)
    assert retried.errors == clean.errors == []
    assert handed_over == []
    assert table_items(table) == table_items(CLEAN_TABLE)


# --- 5. Out of time: checkpoint, continue, finish ---------------------------------------------


@pytest.mark.slow
def test_an_import_short_of_time_checkpoints_and_continuations_finish_it(
    stores: Stores,
    clean_stores: Stores,
    table: str,
    api: Api,
) -> None:
    job = ImportJob(bucket=BUCKET, key="book.json", version="v1")
    clean = import_file(clean_stores, job, BOOK, owner="clean")
    handed_over: list[ImportJob] = []

    paused = import_file(
        stores,
        job,
        BOOK,
        owner="req-1",
        time=LambdaTime(calls_before_low=300),
        handed_over=handed_over,
    )

    assert paused.status == "IN_PROGRESS"
    assert 0 < paused.records_done < BOOK_RECORDS
    assert handed_over == [job]
    # What the checkpoint counts as done is stored: the advisors, then the first clients.
    done_clients = paused.records_done - BOOK_ADVISORS
    assert stored_client_ids(table) == [f"cli-{n:07d}" for n in range(1, done_clients + 1)]
    shown = api("GET", "/imports/{import_id}", import_id=job.import_id)
    assert shown.status == 200
    assert (shown.body["status"], shown.body["records_done"], shown.body["finished_at"]) == (
        "IN_PROGRESS",
        paused.records_done,
        None,
    )

    # Each continuation is a new invocation: its owner is the SQS message id, not "req-1".
    # One as short of time as the first goes on from the checkpoint instead of starting over.
    again = import_file(
        stores,
        job,
        BOOK,
        owner="message-1",
        time=LambdaTime(calls_before_low=300),
        handed_over=handed_over,
    )

    assert again.status == "IN_PROGRESS"
    assert paused.records_done < again.records_done < BOOK_RECORDS
    assert handed_over == [job, job]

    finished = import_file(stores, job, BOOK, owner="message-2", handed_over=handed_over)

    assert finished.status == "SUCCEEDED"
    assert counts(finished) == counts(clean)
    assert handed_over == [job, job]
    assert table_items(table) == table_items(CLEAN_TABLE)
    shown = api("GET", "/imports/{import_id}", import_id=job.import_id)
    assert (shown.body["status"], shown.body["records_done"]) == ("SUCCEEDED", BOOK_RECORDS)


def test_a_continuation_that_starts_the_moment_the_import_paused_takes_it_over(
    stores: Stores, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pause hands the import on: a continuation whose clock reads the very millisecond the
    pause was saved (a fast queue, or an instance whose clock is a little behind) is the one
    meant to go on, not a duplicate. The clock is frozen to make that moment certain."""
    frozen = utc_now()
    monkeypatch.setattr(importer, "utc_now", lambda: frozen)
    job = ImportJob(bucket=BUCKET, key="data.json", version="v1")
    handed_over: list[ImportJob] = []
    paused = import_file(
        stores,
        job,
        SEED_BYTES,
        owner="req-1",
        time=LambdaTime(calls_before_low=10),
        handed_over=handed_over,
    )
    assert (paused.status, handed_over) == ("IN_PROGRESS", [job])

    finished = import_file(stores, job, SEED_BYTES, owner="message-1", handed_over=handed_over)

    assert (finished.status, finished.clients_upserted, finished.records_done) == (
        "SUCCEEDED",
        72,
        86,
    )


def test_an_import_paused_by_the_handler_is_finished_by_its_continuation_message(
    functions: Functions,
    seed_bucket: str,
    resources: dict[str, str],
    table: str,
    api: Api,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ingest_function = functions("IngestFunction")
    queue_url = resources["IngestContinuationQueue"]
    with monkeypatch.context() as short_of_time:
        # Whatever the context says is left, it is under the reserve: pause after one record.
        short_of_time.setattr(importer, "RESERVE_MS", 10**12)
        paused = ingest_function(put_seed_object(seed_bucket, SEED_BYTES))

    (outcome,) = paused["imports"]
    assert outcome["status"] == "IN_PROGRESS"
    (message,) = continuation_messages(queue_url)
    assert ImportJob.model_validate_json(message["Body"]).import_id == outcome["import_id"]
    queue_arn = boto3.client("sqs").get_queue_attributes(
        QueueUrl=queue_url, AttributeNames=["QueueArn"]
    )["Attributes"]["QueueArn"]

    continuation = sqs_event(queue_arn)(message)
    assert continuation is not None

    finished = ingest_function(continuation)

    assert finished == {"imports": [{"import_id": outcome["import_id"], "status": "SUCCEEDED"}]}
    status = api("GET", "/imports/{import_id}", import_id=outcome["import_id"]).body
    assert (
        status["status"],
        status["advisors_upserted"],
        status["clients_upserted"],
        status["rejected"],
        status["records_done"],
    ) == ("SUCCEEDED", 14, 72, 0, 86)
    assert stored_client_ids(table) == sorted(c["id"] for c in SEED["clients"])


# --- 6. Derived ids that collide -------------------------------------------------------------


def test_records_without_ids_that_derive_the_same_id_keep_the_first_and_reject_the_second(
    load_seed: LoadSeed, stores: Stores, table: str
) -> None:
    document = {
        "financial_advisors": [
            {"name": "Ada Lovelace", "focus_areas": ["Tax Planning"]},
            {"name": "  ada   LOVELACE ", "focus_areas": ["Estate Planning"]},
        ],
        "clients": [
            {
                "first_name": "Grace",
                "last_name": "Hopper",
                "accounts": [{"type": "IRA", "value": 10}],
            },
            {"first_name": " GRACE", "last_name": "hopper ", "accounts": []},
        ],
    }

    status = load_seed(document)

    assert (status.status, status.advisors_upserted, status.clients_upserted) == ("PARTIAL", 1, 1)
    assert status.rejected == 2
    assert [error.path for error in status.errors] == ["financial_advisors[1]", "clients[1]"]
    (advisor_pk,) = {p for p in partitions(table_items(table)) if p.startswith("ADVISOR#")}
    advisor_id = advisor_pk.removeprefix(keys.advisor_pk(""))
    (client_id,) = stored_client_ids(table)
    assert re.fullmatch(r"adv-[0-9a-f]{16}", advisor_id)
    assert re.fullmatch(r"cli-[0-9a-f]{16}", client_id)
    assert f"duplicate advisor id {advisor_id}" in status.errors[0].message
    assert f"duplicate client id {client_id}" in status.errors[1].message
    advisor = stores.directory.advisor(advisor_id)
    assert advisor is not None
    assert (advisor.name, advisor.focus_areas) == ("Ada Lovelace", ["Tax Planning"])
    client = stores.book.client(client_id)
    assert client is not None
    assert (client.first_name, client.last_name, client.total_value) == (
        "Grace",
        "Hopper",
        Decimal(10),
    )


def test_an_assignment_between_the_imports_read_and_write_of_an_advisor_is_kept(
    seeded: dict[str, Any],
    load_seed: LoadSeed,
    stores: Stores,
    api: Api,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The import reads its advisors in one batch, then writes each one guarded by the counters
    it read: an assignment landing in between fails the guard, and the advisor is read again."""
    monkeypatch.setattr("advisor_book.retry.time.sleep", lambda _seconds: None)
    advisor_id, client_id = seeded["financial_advisors"][0]["id"], seeded["clients"][0]["id"]
    renamed = copy.deepcopy(seeded)
    renamed["financial_advisors"][0]["name"] = "Margaret Okafor-Reyes"
    assignments: list[int] = []

    def assign_before_the_first_write(params: dict[str, Any], **_: Any) -> None:
        if not assignments and params["Item"]["PK"]["S"] == keys.advisor_profile(advisor_id)["PK"]:
            response = api(
                "PUT",
                "/clients/{client_id}/advisor",
                body={"advisor_id": advisor_id},
                client_id=client_id,
            )
            assignments.append(response.status)

    stores.table.db.meta.events.register(
        "provide-client-params.dynamodb.PutItem", assign_before_the_first_write
    )

    assert load_seed(renamed).status == "SUCCEEDED"
    advisor = api("GET", "/advisors/{advisor_id}", advisor_id=advisor_id).body
    assert assignments == [200]
    assert advisor["name"] == "Margaret Okafor-Reyes"
    assert advisor["client_count"] == 1
    clients = api("GET", "/advisors/{advisor_id}/clients", advisor_id=advisor_id).body
    assert [c["client_id"] for c in clients["items"]] == [client_id]
