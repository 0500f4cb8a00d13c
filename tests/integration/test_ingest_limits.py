"""Seed files built to exhaust the ingest: nested without end, holding megabyte names, or
broken around client names. Each ends as a finished import whose report is bounded and quotes
nothing of the file, with memory bounded by the file's size and shape.
"""

import json
import os
import resource
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import boto3
import pytest

from advisor_book import keys
from advisor_book.import_reports import ImportStatus
from advisor_book.store.core import Table, to_wire
from advisor_book.store.imports import ImportStore
from bench.ingest import BUCKET
from local.harness import template
from tests.conftest import ROOT, Stores

LoadSeed = Callable[[Any], ImportStatus]

NESTING = 100_000
PEAK_RSS_LIMIT_MB = 150
# Whatever the code under test does, the child never takes the machine down with it.
CHILD_ADDRESS_SPACE = 4 * 1024**3
CHILD_TIMEOUT_SECONDS = 600
DYNAMODB_ITEM_LIMIT = 400 * 1024

CLIENT = {
    "id": "cli-0001",
    "first_name": "Zelda",
    "last_name": "Quartermain",
    "accounts": [{"id": "acc-0001", "type": "IRA", "value": 100}],
}
MEGABYTE_NAME = "n" * 1_000_000


# --- Nesting: refused at once, at constant memory --------------------------------------------


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_ADDRESS_SPACE, CHILD_ADDRESS_SPACE))


@pytest.fixture
def import_in_a_child(
    emulator_url: str, emulated: dict[str, str]
) -> Callable[[bytes, str], tuple[dict[str, Any], ImportStatus]]:
    """Upload a file to the emulator and import it through the ingest handler in a fresh
    process, as `make bench` does (bench.ingest --run-one): what the child measured, and the
    stored status."""
    refs = emulated

    def run(body: bytes, key: str) -> tuple[dict[str, Any], ImportStatus]:
        put = boto3.client("s3").put_object(Bucket=BUCKET, Key=key, Body=body)
        job = {"url": emulator_url, "refs": refs, "key": key, "version": put.get("VersionId")}
        function = template.functions()["IngestFunction"]
        child = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "bench.ingest", "--run-one", json.dumps(job)],
            env={**os.environ, **function.resolved_environment(refs)},
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT_SECONDS,
            preexec_fn=_limit_memory,
            check=False,
        )
        assert child.returncode == 0, child.stderr[-3000:]
        measured: dict[str, Any] = json.loads(child.stdout.strip().splitlines()[-1])
        imports = ImportStore(Table(boto3.client("dynamodb"), refs["BookTable"]))
        (status,) = imports.newest(key=key, limit=2, start=None).items
        return measured, status

    return run


def arrays(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


@pytest.mark.slow
@pytest.mark.parametrize(
    ("body", "where"),
    [
        pytest.param(b'{"clients": ' + arrays(NESTING) + b"}", "clients", id="in-a-section"),
        pytest.param(
            b'{"notes": ' + arrays(NESTING) + b', "clients": []}', "notes", id="unknown-field"
        ),
    ],
)
def test_a_file_nested_100000_deep_fails_at_once_with_bounded_memory(
    body: bytes,
    where: str,
    import_in_a_child: Callable[[bytes, str], tuple[dict[str, Any], ImportStatus]],
) -> None:
    assert len(body) > 200_000

    measured, status = import_in_a_child(body, f"nested-{where}.json")

    assert measured["status"] == "FAILED"
    assert status.status == "FAILED"
    assert status.finished_at is not None
    assert [(e.path, e.message) for e in status.errors] == [
        ("$", "the file nests arrays and objects more than 128 levels deep")
    ]
    assert measured["peak_rss_mb"] < PEAK_RSS_LIMIT_MB


# --- Reports: bounded, and never a quote of the file -----------------------------------------


def stored_item_size(table: str, import_id: str) -> int:
    """The size of the import's status item as DynamoDB counts it, near enough (names and
    values in UTF-8)."""
    item = boto3.client("dynamodb").get_item(
        TableName=table, Key=to_wire(keys.import_status(import_id))
    )["Item"]
    return len(json.dumps(item, ensure_ascii=False).encode())


def test_a_megabyte_top_level_field_name_is_reported_cut_short(
    load_seed: LoadSeed, table: str
) -> None:
    body = json.dumps({MEGABYTE_NAME: 1, "clients": [CLIENT]}).encode()

    status = load_seed(body)

    assert (status.status, status.clients_upserted, status.rejected) == ("PARTIAL", 1, 1)
    ((path, message),) = [(e.path, e.message) for e in status.errors]
    assert path == "n" * 63 + "\N{HORIZONTAL ELLIPSIS}"
    assert "unknown top-level field" in message
    assert stored_item_size(table, status.import_id) < 10_000


def test_long_field_names_in_records_keep_the_report_bounded(
    load_seed: LoadSeed, stores: Stores, table: str
) -> None:
    """A megabyte name in one record, then more records with long names than the report
    keeps: together, uncut, their paths would be several times DynamoDB's item limit."""
    megabyte = {**CLIENT, "id": "cli-0002", MEGABYTE_NAME: True}
    long_names = [{**CLIENT, "id": f"cli-{n:04d}", "x" * 5_000: True} for n in range(3, 123)]
    body = json.dumps({"clients": [CLIENT, megabyte, *long_names]}).encode()

    status = load_seed(body)

    assert (status.status, status.clients_upserted, status.rejected) == ("PARTIAL", 1, 121)
    assert len(status.errors) == 100
    assert status.errors[0].path == "clients[1]." + "n" * 63 + "\N{HORIZONTAL ELLIPSIS}"
    assert status.errors[1].path == "clients[2]." + "x" * 63 + "\N{HORIZONTAL ELLIPSIS}"
    assert all("not permitted" in e.message for e in status.errors)
    stored = stores.imports.get(status.import_id)
    assert stored is not None
    assert stored.model_dump(mode="json") == status.model_dump(mode="json")
    assert stored_item_size(table, status.import_id) < DYNAMODB_ITEM_LIMIT // 4


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        pytest.param(
            b'\xff\xfe{"clients": []}',
            "lexical error: invalid char in json text",
            id="not-utf8",
        ),
        pytest.param(
            b'{"clients": [{"first_name": "Zelda", "last_name": "Quartermain", x}]}',
            "lexical error: invalid char in json text",
            id="name-in-a-broken-record",
        ),
        pytest.param(
            b'{"clients": [{"first_name": "Zelda \xff\xfe Quartermain"}]}',
            "lexical error: invalid bytes in UTF8 string",
            id="name-with-bytes-that-are-not-utf8",
        ),
    ],
)
def test_a_file_that_is_not_json_fails_without_quoting_any_of_it(
    body: bytes, complaint: str, load_seed: LoadSeed
) -> None:
    status = load_seed(body)

    assert status.status == "FAILED"
    assert [(e.path, e.message) for e in status.errors] == [
        ("$", f"the file is not valid JSON: {complaint}, between byte 0 and byte {len(body)}")
    ]
    shown = status.model_dump_json()
    assert "Quartermain" not in shown
    assert "\\\\x" not in shown
