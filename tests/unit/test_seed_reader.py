"""Reading a seed file as a stream (reader.read_items), the import report, and what a validated
client becomes when it is stored (ingest.records.client_write).
"""

import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from advisor_book.import_reports import ImportStatus, RecordError
from advisor_book.ingest import reader
from advisor_book.ingest.records import client_write
from advisor_book.ingest.report import (
    MAX_ERROR_MESSAGE,
    MAX_ERROR_PATH,
    MAX_ERRORS_KEPT,
    ImportReport,
)
from advisor_book.seed import SeedClient

SEED_FILE = Path(__file__).resolve().parents[2] / "data.json"
Records = list[tuple[str, int, Any]]


def records_of(stream: Any, report: ImportReport) -> Iterator[tuple[str, int, Any]]:
    """The items the reader yields as (section, index, raw); refused ones go to the report."""
    for item in reader.read_items(stream):
        if item.refusal is not None:
            report.reject(item.path, item.refusal)
        else:
            yield item.section, item.index, item.raw


def read(content: bytes | str | dict[str, Any]) -> tuple[Records, ImportReport]:
    """Every record the reader yields for a file, and the refusals it reported."""
    if isinstance(content, dict):
        content = json.dumps(content)
    if isinstance(content, str):
        content = content.encode()
    report = ImportReport()
    return list(records_of(io.BytesIO(content), report)), report


def rejected_file(content: bytes | str) -> str:
    """The reason a file is refused as a whole."""
    with pytest.raises(reader.FileRejectedError) as error:
        read(content)
    return str(error.value)


def nested(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(depth - 1):
        value = {"a": value}
    return value


ADVISOR = {"id": "adv-001", "name": "Jane Doe", "focus_areas": ["Retirement"], "capacity": 2}
CLIENT = {
    "id": "cli-0001",
    "first_name": "John",
    "last_name": "Smith",
    "accounts": [{"id": "acc-0001", "type": "IRA", "value": 12345.67}],
}


# --- A good file -------------------------------------------------------------------------


def test_good_file_yields_every_record_in_file_order() -> None:
    second_client = {**CLIENT, "id": "cli-0002"}
    advisors, clients = json.dumps([ADVISOR]), json.dumps([CLIENT, second_client])
    records, report = read(f'{{"financial_advisors": {advisors}, "clients": {clients}}}')
    assert [(section, index) for section, index, _ in records] == [
        ("financial_advisors", 0),
        ("clients", 0),
        ("clients", 1),
    ]
    assert records[0][2]["name"] == "Jane Doe"
    assert [record["id"] for _, _, record in records[1:]] == ["cli-0001", "cli-0002"]
    assert report.rejected == 0
    assert report.errors == []


def test_sections_are_read_in_the_order_the_file_gives_them() -> None:
    records, _ = read({"clients": [CLIENT], "financial_advisors": [ADVISOR]})
    assert [section for section, _, _ in records] == ["clients", "financial_advisors"]


def test_numbers_are_read_exactly_never_as_floats() -> None:
    records, _ = read(
        b'{"clients": [{"accounts": [{"value": 0.1}, {"value": 12345.67}, {"value": 100}]}]}'
    )
    values = [account["value"] for account in records[0][2]["accounts"]]
    assert values == [Decimal("0.1"), Decimal("12345.67"), 100]
    assert not any(isinstance(value, float) for value in values)
    assert isinstance(values[0], Decimal)


def test_a_file_with_only_one_of_the_arrays_is_read() -> None:
    records, _ = read({"financial_advisors": [ADVISOR]})
    assert [(section, index) for section, index, _ in records] == [("financial_advisors", 0)]


def test_empty_arrays_are_a_readable_file_with_no_records() -> None:
    records, report = read({"financial_advisors": [], "clients": []})
    assert records == []
    assert report.rejected == 0


def test_elements_that_are_not_objects_are_yielded_for_validation() -> None:
    records, report = read({"clients": [1, "text", None, ["x", 2]]})
    assert [record for _, _, record in records] == [1, "text", None, ["x", 2]]
    assert report.rejected == 0


def test_the_shipped_seed_file_reads_without_rejections() -> None:
    with SEED_FILE.open("rb") as stream:
        report = ImportReport()
        records = list(records_of(stream, report))
    document = json.loads(SEED_FILE.read_text())
    assert len(records) == len(document["financial_advisors"]) + len(document["clients"])
    assert report.rejected == 0


# --- Files refused as a whole ---------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"  \n\t "], ids=["empty", "whitespace-only"])
def test_empty_file_is_refused_as_empty(content: bytes) -> None:
    assert "empty" in rejected_file(content)


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"hello", id="text"),
        pytest.param(b"financial_advisors,clients\n1,2\n", id="csv"),
        pytest.param(b"{'clients': []}", id="single-quotes"),
        pytest.param(b'{"clients": [NaN]}', id="nan"),
        pytest.param(b'{"clients": [1,]}', id="trailing-comma"),
        pytest.param(b"\xff\xfe{}", id="binary"),
    ],
)
def test_file_that_is_not_json_is_refused(content: bytes) -> None:
    assert "not valid JSON" in rejected_file(content)


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"[]", id="empty-array"),
        pytest.param(b'[{"financial_advisors": [], "clients": []}]', id="array"),
        pytest.param(b'"clients"', id="string"),
        pytest.param(b"42", id="number"),
        pytest.param(b"null", id="null"),
    ],
)
def test_file_whose_top_level_is_not_an_object_is_refused(content: bytes) -> None:
    message = rejected_file(content)
    assert "JSON object" in message
    assert "financial_advisors" in message


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"{", id="after-open"),
        pytest.param(b'{"clients": [', id="inside-array"),
        pytest.param(b'{"clients": [{"first_name": "John"', id="inside-record"),
        pytest.param(b'{"clients": [{"first_name": "Jo', id="inside-string"),
        pytest.param(b'{"clients": []', id="before-close"),
    ],
)
def test_truncated_file_is_refused(content: bytes) -> None:
    message = rejected_file(content)
    assert "ends early" in message


def test_truncated_file_still_yields_the_records_before_the_cut() -> None:
    report = ImportReport()
    stream = io.BytesIO(f'{{"clients": [{json.dumps(CLIENT)}, {{"first_name": '.encode())
    records = records_of(stream, report)
    assert next(records)[2]["id"] == "cli-0001"
    with pytest.raises(reader.FileRejectedError):
        next(records)


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"{}", id="empty-object"),
        pytest.param(b'{"advisors": [], "customers": []}', id="other-names"),
        pytest.param(b'{"Clients": []}', id="wrong-case"),
    ],
)
def test_file_with_neither_array_is_refused(content: bytes) -> None:
    message = rejected_file(content)
    assert "financial_advisors" in message
    assert "clients" in message
    assert "neither" in message


@pytest.mark.parametrize(
    ("section", "value"),
    [
        ("clients", {}),
        ("clients", "none"),
        ("financial_advisors", None),
        ("financial_advisors", 3),
    ],
)
def test_section_that_is_not_an_array_is_refused(section: str, value: object) -> None:
    message = rejected_file(json.dumps({section: value}))
    assert section in message
    assert "array" in message


def test_content_after_the_object_is_refused() -> None:
    assert "not valid JSON" in rejected_file(b'{"clients": []} {"clients": []}')


@pytest.mark.parametrize(
    ("content", "secret", "complaint"),
    [
        pytest.param(
            b"\xff\xfe{}", b"\xff\xfe{}", "lexical error: invalid char in json text", id="binary"
        ),
        pytest.param(
            b'{"clients": [{"first_name": "Zelda", "last_name": "Quartermain", x}]}',
            b"Quartermain",
            "lexical error: invalid char in json text",
            id="name-in-a-broken-record",
        ),
        pytest.param(
            b'{"clients": [{"first_name": "Zelda \xff Quartermain"}]}',
            b"Quartermain",
            "lexical error: invalid bytes in UTF8 string",
            id="name-with-a-bad-byte",
        ),
        pytest.param(
            b'{"clients": [{"first_name": "Zelda", "last_name": "Quartermain"}] "x"}',
            b"Quartermain",
            "parse error: after key and value, inside map, I expect ',' or '}'",
            id="name-before-a-missing-comma",
        ),
    ],
)
def test_a_file_that_is_not_json_is_described_without_quoting_it(
    content: bytes, secret: bytes, complaint: str
) -> None:
    """yajl's message goes on with an excerpt of the file (as a bytes repr on one line when
    the excerpt is not UTF-8): only its description and where it happened are kept."""
    message = rejected_file(content)
    assert message == (
        f"the file is not valid JSON: {complaint}, between byte 0 and byte {len(content)}"
    )
    assert secret.decode("latin-1") not in message
    assert "\\x" not in message


def test_a_syntax_error_is_placed_in_the_part_of_the_file_being_read() -> None:
    good = json.dumps([CLIENT] * 2_000).encode()
    content = b'{"clients": ' + good[:-1] + b', {"first_name": "Zelda", oops}]}'
    message = rejected_file(content)
    start, end = (int(n.replace(",", "")) for n in re.findall(r"byte ([\d,]+)", message))
    assert start < content.index(b"oops") < end == len(content)
    assert start > 0
    assert "Zelda" not in message


@pytest.mark.parametrize(
    "number",
    [
        pytest.param(b"9" * 5_000, id="more-digits-than-int-reads"),
        pytest.param(b"1" + b"0" * 9_000 + b".5", id="long-decimal"),
        pytest.param(b"1e999999999999999999999", id="exponent-beyond-decimal"),
    ],
)
def test_a_number_too_long_to_read_fails_the_file(number: bytes) -> None:
    """ijson raises these from inside its C parser (the first used to crash the process)."""
    message = rejected_file(b'{"clients": [' + b'{"a": 1}, ' * 10_000 + number + b"]}")
    assert "too long to read as a number" in message or "exponent is too large" in message


def test_a_run_of_digits_across_two_reads_is_seen_whole() -> None:
    digits = b"9" * 5_000
    content = b'{"clients": [' + digits + b"]}"

    class TwoReads(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            return super().read(min(size or 1 << 30, 2_013))

    with pytest.raises(reader.FileRejectedError, match="4,300 digits"):
        reader.check_structure(TwoReads(content))


def test_digits_up_to_what_int_reads_are_a_number() -> None:
    records, _ = read(b'{"clients": [' + b"9" * 4_300 + b"]}")
    assert records == [("clients", 0, int("9" * 4_300))]


# --- How deep a file may nest ---------------------------------------------------------------


def arrays(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b'{"clients": ' + arrays(200_000) + b"}", id="a-section"),
        pytest.param(b'{"clients": [' + arrays(200_000) + b"]}", id="a-record"),
        pytest.param(b'{"notes": ' + arrays(200_000) + b', "clients": []}', id="unknown-field"),
        pytest.param(b'{"clients": [{"accounts": [{"x": ' + b'{"y": ' * 200_000, id="cut-short"),
    ],
)
@pytest.mark.parametrize("build", [True, False], ids=["import", "structure-check"])
def test_a_file_nested_past_the_limit_is_refused_as_a_whole(content: bytes, build: bool) -> None:
    with pytest.raises(reader.FileRejectedError, match="more than 128 levels deep"):
        for _ in reader.read_items(io.BytesIO(content), build=build):
            pass


def test_the_file_limit_counts_the_top_level_object_and_the_section() -> None:
    """A record may nest up to the file's limit and is then rejected on its own; one more
    level and the file is refused."""
    depth_left = reader.MAX_FILE_DEPTH - 2
    records, report = read(
        b'{"clients": [' + arrays(depth_left) + b", " + json.dumps(CLIENT).encode() + b"]}"
    )
    assert [record["id"] for _, _, record in records] == ["cli-0001"]
    assert [error.path for error in report.errors] == ["clients[0]"]
    assert "nested too deeply" in report.errors[0].message
    assert "128 levels" in rejected_file(b'{"clients": [' + arrays(depth_left + 1) + b"]}")


# --- Records and fields rejected one by one ------------------------------------------------


def test_unknown_top_level_field_is_rejected_and_the_rest_is_read() -> None:
    records, report = read(
        {
            "version": 2,
            "financial_advisors": [ADVISOR],
            "metadata": {"exported_by": ["x", {"y": [1, 2]}]},
            "clients": [CLIENT],
        }
    )
    assert [(section, index) for section, index, _ in records] == [
        ("financial_advisors", 0),
        ("clients", 0),
    ]
    assert [error.path for error in report.errors] == ["version", "metadata"]
    assert all("unknown top-level field" in error.message for error in report.errors)
    assert report.rejected == 2


def test_unknown_top_level_field_alone_is_still_a_file_with_neither_array() -> None:
    report = ImportReport()
    with pytest.raises(reader.FileRejectedError):
        list(records_of(io.BytesIO(b'{"meta": {}}'), report))
    assert [error.path for error in report.errors] == ["meta"]


def test_deeply_nested_element_is_rejected_and_the_stream_goes_on() -> None:
    records, report = read({"clients": [CLIENT, nested(50), {**CLIENT, "id": "cli-0003"}]})
    assert [(index, record["id"]) for _, index, record in records] == [
        (0, "cli-0001"),
        (2, "cli-0003"),
    ]
    assert report.rejected == 1
    assert report.errors[0].path == "clients[1]"
    assert "nested too deeply" in report.errors[0].message


def test_deeply_nested_array_element_is_rejected() -> None:
    records, report = read(b'{"financial_advisors": [' + b"[" * 40 + b"]" * 40 + b"]}")
    assert records == []
    assert [error.path for error in report.errors] == ["financial_advisors[0]"]


def test_a_real_client_record_is_not_too_deep() -> None:
    records, report = read({"clients": [CLIENT]})
    assert len(records) == 1
    assert report.rejected == 0


def test_element_with_too_many_parts_is_rejected_and_the_stream_goes_on() -> None:
    huge = {**CLIENT, "accounts": [{"type": "IRA", "value": 1}] * 5_000}
    records, report = read({"clients": [CLIENT, huge, {**CLIENT, "id": "cli-0003"}]})
    assert [(index, record["id"]) for _, index, record in records] == [
        (0, "cli-0001"),
        (2, "cli-0003"),
    ]
    assert report.rejected == 1
    assert report.errors[0].path == "clients[1]"
    assert "too large" in report.errors[0].message


def test_long_flat_element_is_rejected_as_too_large() -> None:
    records, report = read({"financial_advisors": [{**ADVISOR, "focus_areas": ["x"] * 30_000}]})
    assert records == []
    assert report.errors[0].path == "financial_advisors[0]"
    assert "too large" in report.errors[0].message


# --- The import report ---------------------------------------------------------------------


def test_report_keeps_the_first_100_errors_and_counts_every_rejection() -> None:
    report = ImportReport()
    for index in range(250):
        report.reject(f"clients[{index}]", "bad record")
    assert report.rejected == 250
    assert len(report.errors) == 100
    assert [error.path for error in report.errors] == [f"clients[{n}]" for n in range(100)]


def test_file_with_many_bad_elements_keeps_an_exact_count() -> None:
    document = {"clients": [nested(10)] * 150, "financial_advisors": [ADVISOR]}
    records, report = read(document)
    assert len(records) == 1
    assert report.rejected == 150
    assert len(report.errors) == 100
    assert report.errors[-1].path == "clients[99]"


def started_import() -> ImportStatus:
    return ImportStatus.started(
        "imp-1", "advisor-book-seed", "data.json", datetime(2026, 1, 31, 9, 30, tzinfo=UTC)
    )


def test_import_without_rejections_succeeds() -> None:
    report = ImportReport(advisors_upserted=2, clients_upserted=3)
    status = report.status(started_import())
    assert status.status == "SUCCEEDED"
    assert (status.advisors_upserted, status.clients_upserted, status.rejected) == (2, 3, 0)
    assert status.errors == []
    assert status.finished_at is not None


def test_import_with_rejections_is_partial_and_lists_them() -> None:
    report = ImportReport(advisors_upserted=1, clients_upserted=1)
    report.reject("clients[4].accounts[0].value", "Input should be greater than or equal to 0")
    status = report.status(started_import())
    assert status.status == "PARTIAL"
    assert status.rejected == 1
    assert status.errors == [
        RecordError(
            path="clients[4].accounts[0].value",
            message="Input should be greater than or equal to 0",
        )
    ]


def test_import_of_a_refused_file_fails_with_its_reason_first() -> None:
    report = ImportReport(clients_upserted=5, failure="the file ends early")
    report.reject("clients[1]", "bad record")
    status = report.status(started_import())
    assert status.status == "FAILED"
    assert status.clients_upserted == 5
    assert status.errors[0] == RecordError(path="$", message="the file ends early")
    assert status.errors[1].path == "clients[1]"


def test_failed_import_still_lists_at_most_100_errors() -> None:
    report = ImportReport(failure="the file ends early")
    for index in range(150):
        report.reject(f"clients[{index}]", "bad record")
    status = report.status(started_import())
    assert status.status == "FAILED"
    assert len(status.errors) == 100
    assert status.rejected == 150


def test_errors_are_cut_to_their_bounds() -> None:
    report = ImportReport(failure="f" * 1_000_000)
    report.reject("p" * 1_000_000, "m" * 1_000_000)
    status = report.status(started_import())
    assert [(len(e.path), len(e.message)) for e in status.errors] == [
        (1, MAX_ERROR_MESSAGE),
        (MAX_ERROR_PATH, MAX_ERROR_MESSAGE),
    ]
    assert status.errors[1].path.endswith("\N{HORIZONTAL ELLIPSIS}")


def test_a_full_report_of_the_longest_errors_stays_far_below_the_item_limit() -> None:
    """DynamoDB refuses an item over 400 KB; four-byte characters are the worst case."""
    wide = "\N{GRINNING FACE}" * 1_000_000
    report = ImportReport(failure=wide)
    for _ in range(250):
        report.reject(wide, wide)
    status = report.status(started_import())
    size = len(json.dumps(status.model_dump(mode="json"), ensure_ascii=False).encode())
    assert len(status.errors) == MAX_ERRORS_KEPT
    assert size < 200_000


def test_finished_status_keeps_the_identity_of_the_started_import() -> None:
    started = started_import()
    status = ImportReport().status(started)
    assert (status.import_id, status.bucket, status.key, status.started_at) == (
        started.import_id,
        started.bucket,
        started.key,
        started.started_at,
    )


# --- What a client becomes when stored -----------------------------------------------------


def seed_client(*values: str | int, **fields: Any) -> SeedClient:
    accounts = [
        {"type": "IRA", "value": Decimal(value) if isinstance(value, str) else value}
        for value in values
    ]
    record: dict[str, Any] = {"first_name": "John", "last_name": "Smith", "accounts": accounts}
    record.update(fields)
    return SeedClient.model_validate(record)


def test_client_total_is_the_exact_sum_of_its_accounts() -> None:
    write = client_write(seed_client("0.10", "0.20", 100, "999999999999.99"))
    assert write.profile.total_value == Decimal("1000000000100.29")
    assert isinstance(write.profile.total_value, Decimal)
    assert write.profile.account_count == 4


def test_client_total_has_no_binary_rounding() -> None:
    write = client_write(seed_client("0.10", "0.20"))
    assert write.profile.total_value == Decimal("0.30")


def test_client_without_accounts_has_a_zero_total() -> None:
    write = client_write(seed_client())
    assert write.profile.total_value == Decimal(0)
    assert write.profile.account_count == 0
    assert write.accounts == []


def test_stored_accounts_carry_their_ids_types_and_values() -> None:
    record = seed_client("12.5", 7, id="cli-0001")
    write = client_write(record)
    assert write.profile.client_id == "cli-0001"
    assert [a.account_id for a in write.accounts] == record.account_ids()
    assert [a.model_dump(mode="json")["value"] for a in write.accounts] == ["12.50", "7.00"]


def test_revision_is_stable_for_the_same_content() -> None:
    first = client_write(seed_client("10.00", "20.00"))
    again = client_write(seed_client("10.00", "20.00"))
    assert first.profile.revision == again.profile.revision


def test_revision_ignores_how_many_trailing_zeros_a_value_was_written_with() -> None:
    first = client_write(seed_client("10.5", 20))
    again = client_write(seed_client("10.50", "20.00"))
    assert first.profile.revision == again.profile.revision


@pytest.mark.parametrize(
    ("values", "fields"),
    [
        pytest.param(("10.00", "20.01"), {}, id="second-value-by-one-cent"),
        pytest.param(("10.01", "20.00"), {}, id="first-value-by-one-cent"),
        pytest.param(("20.00", "10.00"), {}, id="values-swapped"),
        pytest.param(("10.00",), {}, id="account-removed"),
        pytest.param(("10.00", "20.00", "0"), {}, id="zero-account-added"),
        pytest.param(("10.00", "20.00"), {"first_name": "Johnny"}, id="renamed"),
    ],
)
def test_revision_changes_when_the_content_changes(
    values: tuple[str, ...], fields: dict[str, Any]
) -> None:
    base = {"id": "cli-x"}
    original = client_write(seed_client("10.00", "20.00", **base))
    changed = client_write(seed_client(*values, **{**base, **fields}))
    assert changed.profile.revision != original.profile.revision


def test_revision_changes_when_an_account_type_changes() -> None:
    original = seed_client("10.00")
    retyped = SeedClient.model_validate(
        {
            "first_name": "John",
            "last_name": "Smith",
            "accounts": [{"type": "Roth IRA", "value": Decimal("10.00")}],
        }
    )
    assert client_write(original).profile.revision != client_write(retyped).profile.revision


def test_negative_zero_value_in_a_file_is_stored_and_shown_as_zero() -> None:
    records, _ = read(
        b'{"clients": [{"first_name": "J", "last_name": "S", '
        b'"accounts": [{"type": "IRA", "value": -0.0}]}]}'
    )
    write = client_write(SeedClient.model_validate(records[0][2]))
    assert write.accounts[0].model_dump(mode="json")["value"] == "0.00"


def test_import_whose_every_record_was_rejected_fails() -> None:
    report = ImportReport()
    report.reject("clients[0].last_name", "Field required")

    status = report.status(started_import())

    assert status.status == "FAILED"
    assert status.rejected == 1
