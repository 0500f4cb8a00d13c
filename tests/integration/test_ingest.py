"""The seed-file ingest end to end under moto: an object put into the seed bucket, the S3
notification handed to the real ingest handler, and the result read back through the API.

Where the S3 handler adds nothing to what is being checked (the upsert rules, derived ids),
the document goes through `load_seed`, the same streaming ingest without the S3 hop.
"""

import copy
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import boto3
import pytest

from advisor_book import keys
from advisor_book.import_reports import ImportStatus
from local.harness.events import s3_put_event
from tests.conftest import ROOT, HttpResponse

Api = Callable[..., HttpResponse]
Functions = Callable[[str], Callable[[dict[str, Any]], Any]]
LoadSeed = Callable[[Any], ImportStatus]

SEED_BYTES = (ROOT / "data.json").read_bytes()
SEED: dict[str, Any] = json.loads(SEED_BYTES)
SEED_EXACT: dict[str, Any] = json.loads(SEED_BYTES, parse_float=Decimal)
MONEY = re.compile(r"^\d+\.\d{2}$")


def money(value: Any) -> Decimal:
    """A money value from an API response: a string with exactly two decimals."""
    assert isinstance(value, str)
    assert MONEY.match(value), value
    return Decimal(value)


def seed_copy() -> dict[str, Any]:
    return copy.deepcopy(SEED)


def record(document: dict[str, Any], section: str, record_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(r for r in document[section] if r.get("id") == record_id)
    return found


def exact_total(client_id: str) -> Decimal:
    """The sum of a client's account values in data.json, read without floats."""
    client = record(SEED_EXACT, "clients", client_id)
    return sum((a["value"] for a in client["accounts"]), Decimal(0))


@dataclass(frozen=True)
class Upload:
    key: str
    version_id: str
    etag: str
    import_id: str
    status: str


@pytest.fixture
def deliver(functions: Functions, seed_bucket: str) -> Callable[[str, str, str], dict[str, Any]]:
    """Hand the ingest function the S3 notification of one object version."""

    def call(key: str, version_id: str, etag: str) -> dict[str, Any]:
        result: dict[str, Any] = functions("IngestFunction")(
            s3_put_event(seed_bucket, key, version_id=version_id, etag=etag)
        )
        return result

    return call


@pytest.fixture
def upload(
    seed_bucket: str, deliver: Callable[[str, str, str], dict[str, Any]]
) -> Callable[..., Upload]:
    """Put a document (a dict, or raw bytes) into the seed bucket and deliver its event."""

    def call(document: dict[str, Any] | list[Any] | bytes, key: str = "data.json") -> Upload:
        body = document if isinstance(document, bytes) else json.dumps(document).encode()
        put = boto3.client("s3").put_object(Bucket=seed_bucket, Key=key, Body=body)
        result = deliver(key, put["VersionId"], put["ETag"])
        assert len(result["imports"]) == 1
        (outcome,) = result["imports"]
        return Upload(
            key=key,
            version_id=put["VersionId"],
            etag=put["ETag"],
            import_id=outcome["import_id"],
            status=outcome["status"],
        )

    return call


@pytest.fixture
def get(api: Api) -> Callable[..., Any]:
    """GET a route that must answer 200 and return its body."""

    def call(resource: str, query: dict[str, str] | None = None, **path: str) -> Any:
        response = api("GET", resource, query=query, **path)
        assert response.status == 200, response.body
        return response.body

    return call


@pytest.fixture
def assign(api: Api) -> Callable[[str, str], None]:
    def call(client_id: str, advisor_id: str) -> None:
        response = api(
            "PUT",
            "/clients/{client_id}/advisor",
            body={"advisor_id": advisor_id},
            client_id=client_id,
        )
        assert response.status == 200, response.body

    return call


@pytest.fixture
def load(load_seed: LoadSeed) -> Callable[[dict[str, Any]], None]:
    """Import a document that is expected to import cleanly."""

    def call(document: dict[str, Any]) -> None:
        assert load_seed(document).status == "SUCCEEDED"

    return call


def all_advisors(get: Callable[..., Any], *, include_unavailable: bool) -> dict[str, Any]:
    page = get(
        "/advisors",
        query={"include_unavailable": str(include_unavailable).lower(), "limit": "100"},
    )
    assert page["next_token"] is None
    return {item["advisor_id"]: item for item in page["items"]}


def stored_client_ids(table: str) -> list[str]:
    """Every client profile in the table, read straight from DynamoDB (paginated Scan)."""
    paginator = boto3.client("dynamodb").get_paginator("scan")
    ids: list[str] = []
    for page in paginator.paginate(
        TableName=table,
        FilterExpression="begins_with(PK, :client) AND SK = :profile",
        ExpressionAttributeValues={
            ":client": {"S": keys.client_pk("")},
            ":profile": {"S": keys.PROFILE},
        },
    ):
        ids.extend(item["PK"]["S"].removeprefix(keys.client_pk("")) for item in page["Items"])
    return sorted(ids)


# --- 1. a full import -----------------------------------------------------------------


def test_data_json_imports_every_advisor_and_client(
    upload: Callable[..., Upload], get: Callable[..., Any]
) -> None:
    uploaded = upload(SEED_BYTES)

    assert uploaded.status == "SUCCEEDED"
    advisors = all_advisors(get, include_unavailable=True)
    assert sorted(advisors) == sorted(a["id"] for a in SEED["financial_advisors"])
    assert len(advisors) == 14
    for advisor in SEED["financial_advisors"]:
        stored = advisors[advisor["id"]]
        assert stored["name"] == advisor["name"]
        assert stored["focus_areas"] == advisor["focus_areas"]
        assert stored["capacity"] == advisor.get("capacity")
        assert stored["accepting_new_clients"] == (
            advisor.get("accepting_new_clients") is not False
        )
        assert stored["client_count"] == 0
    assert len(SEED["clients"]) == 72
    for client in SEED["clients"]:
        body = get("/clients/{client_id}", client_id=client["id"])
        assert body["first_name"] == client["first_name"]
        assert body["last_name"] == client["last_name"]
        assert body["advisor_id"] is None
        assert money(body["total_value"]) == exact_total(client["id"])
        assert [a["account_id"] for a in body["accounts"]] == [a["id"] for a in client["accounts"]]


def test_an_import_is_listed_by_key_and_readable_by_id(
    upload: Callable[..., Upload], get: Callable[..., Any], seed_bucket: str
) -> None:
    uploaded = upload(SEED_BYTES)

    listing = get("/imports", query={"key": "data.json"})
    assert [item["import_id"] for item in listing["items"]] == [uploaded.import_id]
    assert listing["next_token"] is None
    status = get("/imports/{import_id}", import_id=uploaded.import_id)
    assert status == listing["items"][0]
    assert status["bucket"] == seed_bucket
    assert status["key"] == "data.json"
    assert status["status"] == "SUCCEEDED"
    assert status["advisors_upserted"] == 14
    assert status["clients_upserted"] == 72
    assert status["rejected"] == 0
    assert status["errors"] == []
    assert status["started_at"] is not None
    assert status["finished_at"] is not None
    assert get("/imports", query={"key": "other.json"})["items"] == []


# --- 2. re-ingest of a changed file -----------------------------------------------------


def test_reimporting_a_changed_file_moves_every_copy_of_a_total_together(
    upload: Callable[..., Upload],
    get: Callable[..., Any],
    assign: Callable[[str, str], None],
) -> None:
    upload(SEED_BYTES)
    assign("cli-0003", "adv-004")
    assign("cli-0002", "adv-004")
    before = get("/advisors/{advisor_id}", advisor_id="adv-004")
    assert money(before["total_assets"]) == Decimal("330847.01") + Decimal("3143.74")
    assert before["client_count"] == 2

    changed = seed_copy()
    record(changed, "clients", "cli-0003")["accounts"] = [
        {"id": "acc-0002", "type": "HSA", "value": 0.0},
        {"id": "acc-0004", "type": "Trust", "value": 279370.91},
        {"id": "acc-0005", "type": "Roth IRA", "value": 38709.81},
        {"id": "acc-9001", "type": "Checking", "value": 0.1},
    ]
    advisor = record(changed, "financial_advisors", "adv-004")
    advisor["name"] = "Carlos Mendoza-Reyes"
    advisor["capacity"] = 5
    uploaded = upload(changed)

    assert uploaded.status == "SUCCEEDED"
    new_total = Decimal("318080.82")
    client = get("/clients/{client_id}", client_id="cli-0003")
    assert client["advisor_id"] == "adv-004"
    assert money(client["total_value"]) == new_total
    assert [(a["account_id"], money(a["value"])) for a in client["accounts"]] == [
        ("acc-0002", Decimal("0")),
        ("acc-0004", Decimal("279370.91")),
        ("acc-0005", Decimal("38709.81")),
        ("acc-9001", Decimal("0.10")),
    ]
    book = get("/advisors/{advisor_id}/clients", advisor_id="adv-004")
    entries = {item["client_id"]: item for item in book["items"]}
    assert sorted(entries) == ["cli-0002", "cli-0003"]
    assert money(entries["cli-0003"]["total_value"]) == new_total
    assert entries["cli-0003"]["account_count"] == 4
    assert money(entries["cli-0002"]["total_value"]) == Decimal("3143.74")
    after = get("/advisors/{advisor_id}", advisor_id="adv-004")
    assert money(after["total_assets"]) == new_total + Decimal("3143.74")
    assert money(after["total_assets"]) == sum(
        (money(item["total_value"]) for item in book["items"]), Decimal(0)
    )
    assert after["name"] == "Carlos Mendoza-Reyes"
    assert after["capacity"] == 5
    assert after["client_count"] == 2
    assert after["available"] is True
    assert get("/clients/{client_id}", client_id="cli-0002")["advisor_id"] == "adv-004"


def test_a_renamed_client_is_renamed_in_its_advisors_listing(
    upload: Callable[..., Upload], get: Callable[..., Any], assign: Callable[[str, str], None]
) -> None:
    upload(SEED_BYTES)
    assign("cli-0006", "adv-008")
    changed = seed_copy()
    record(changed, "clients", "cli-0006")["last_name"] = "Anderson-Price"

    upload(changed)

    (entry,) = get("/advisors/{advisor_id}/clients", advisor_id="adv-008")["items"]
    assert (entry["first_name"], entry["last_name"]) == ("Aaliyah", "Anderson-Price")
    assert money(entry["total_value"]) == exact_total("cli-0006")
    assert money(get("/advisors/{advisor_id}", advisor_id="adv-008")["total_assets"]) == (
        exact_total("cli-0006")
    )


def test_a_changed_client_whose_advisor_was_removed_stays_without_one(
    upload: Callable[..., Upload],
    get: Callable[..., Any],
    assign: Callable[[str, str], None],
    api: Api,
) -> None:
    upload(SEED_BYTES)
    assign("cli-0005", "adv-002")
    assert api("DELETE", "/clients/{client_id}/advisor", client_id="cli-0005").status == 204
    changed = seed_copy()
    record(changed, "clients", "cli-0005")["accounts"] = [
        {"id": "acc-9002", "type": "Checking", "value": 12.5}
    ]

    assert upload(changed).status == "SUCCEEDED"

    client = get("/clients/{client_id}", client_id="cli-0005")
    assert (client["advisor_id"], money(client["total_value"])) == (None, Decimal("12.50"))
    assert get("/advisors/{advisor_id}/clients", advisor_id="adv-002")["items"] == []
    detail = get("/advisors/{advisor_id}", advisor_id="adv-002")
    assert (detail["client_count"], money(detail["total_assets"])) == (0, Decimal("0.00"))


# --- 3. re-upload and redelivery --------------------------------------------------------


def assert_book_unchanged(before: dict[str, Any], after: dict[str, Any]) -> None:
    for view, body in before.items():
        assert after[view] == body, f"{view} changed"


def book_snapshot(get: Callable[..., Any]) -> dict[str, Any]:
    """What a user can see of the advisors and the clients the tests assign."""
    return {
        "advisors": all_advisors(get, include_unavailable=True),
        "adv-004": get("/advisors/{advisor_id}", advisor_id="adv-004"),
        "adv-004-clients": get("/advisors/{advisor_id}/clients", advisor_id="adv-004"),
        "adv-001": get("/advisors/{advisor_id}", advisor_id="adv-001"),
        "cli-0002": get("/clients/{client_id}", client_id="cli-0002"),
        "cli-0003": get("/clients/{client_id}", client_id="cli-0003"),
    }


def test_reuploading_the_same_file_keeps_assignments_and_creates_no_duplicates(
    upload: Callable[..., Upload],
    get: Callable[..., Any],
    assign: Callable[[str, str], None],
    table: str,
) -> None:
    first = upload(SEED_BYTES)
    assign("cli-0003", "adv-004")
    assign("cli-0002", "adv-004")
    before = book_snapshot(get)

    second = upload(SEED_BYTES)

    assert second.import_id != first.import_id
    status = get("/imports/{import_id}", import_id=second.import_id)
    assert status["status"] == "SUCCEEDED"
    assert (status["advisors_upserted"], status["clients_upserted"]) == (14, 72)
    assert_book_unchanged(before, book_snapshot(get))
    assert before["adv-004"]["client_count"] == 2
    assert money(before["adv-004"]["total_assets"]) == exact_total("cli-0002") + exact_total(
        "cli-0003"
    )
    assert len(all_advisors(get, include_unavailable=True)) == 14
    assert stored_client_ids(table) == sorted(c["id"] for c in SEED["clients"])
    listed = get("/imports", query={"key": "data.json"})["items"]
    assert sorted(item["import_id"] for item in listed) == sorted(
        [first.import_id, second.import_id]
    )


def test_a_repeated_s3_event_returns_the_same_import_and_changes_nothing(
    upload: Callable[..., Upload],
    deliver: Callable[[str, str, str], dict[str, Any]],
    get: Callable[..., Any],
    assign: Callable[[str, str], None],
) -> None:
    uploaded = upload(SEED_BYTES)
    assign("cli-0003", "adv-004")
    status_before = get("/imports/{import_id}", import_id=uploaded.import_id)
    book_before = book_snapshot(get)

    again = deliver(uploaded.key, uploaded.version_id, uploaded.etag)

    assert again == {"imports": [{"import_id": uploaded.import_id, "status": "SUCCEEDED"}]}
    status_after = get("/imports/{import_id}", import_id=uploaded.import_id)
    assert status_after == status_before
    assert status_after["finished_at"] == status_before["finished_at"]
    assert_book_unchanged(book_before, book_snapshot(get))
    listed = get("/imports", query={"key": "data.json"})["items"]
    assert [item["import_id"] for item in listed] == [uploaded.import_id]


def test_a_late_redelivery_of_an_older_version_does_not_roll_the_book_back(
    upload: Callable[..., Upload],
    deliver: Callable[[str, str, str], dict[str, Any]],
    get: Callable[..., Any],
) -> None:
    old = upload(SEED_BYTES)
    changed = seed_copy()
    record(changed, "financial_advisors", "adv-001")["name"] = "Margaret Okafor-Hale"
    record(changed, "clients", "cli-0002")["accounts"][0]["value"] = 4000.5
    upload(changed)
    after_new = book_snapshot(get)

    again = deliver(old.key, old.version_id, old.etag)

    assert again["imports"][0]["import_id"] == old.import_id
    assert_book_unchanged(after_new, book_snapshot(get))
    assert after_new["adv-001"]["name"] == "Margaret Okafor-Hale"
    assert money(after_new["cli-0002"]["total_value"]) == Decimal("4000.50")


# --- 4. upsert rules --------------------------------------------------------------------


def test_advisors_and_clients_missing_from_a_later_file_are_kept(
    load: Callable[[dict[str, Any]], None],
    get: Callable[..., Any],
    table: str,
) -> None:
    load(SEED)
    load(
        {
            "financial_advisors": [record(SEED, "financial_advisors", "adv-001")],
            "clients": [record(SEED, "clients", "cli-0002")],
        }
    )

    assert len(all_advisors(get, include_unavailable=True)) == 14
    assert stored_client_ids(table) == sorted(c["id"] for c in SEED["clients"])
    client = get("/clients/{client_id}", client_id="cli-0003")
    assert money(client["total_value"]) == exact_total("cli-0003")
    assert get("/advisors/{advisor_id}", advisor_id="adv-014")["name"] == "Luis Fernández"


def test_a_clients_accounts_are_replaced_by_the_files_list(
    load: Callable[[dict[str, Any]], None], get: Callable[..., Any]
) -> None:
    load(SEED)
    client = copy.deepcopy(record(SEED, "clients", "cli-0006"))
    client["accounts"] = [{"id": "acc-7001", "type": "IRA", "value": 250}]

    load({"clients": [client]})

    body = get("/clients/{client_id}", client_id="cli-0006")
    assert body["accounts"] == [{"account_id": "acc-7001", "type": "IRA", "value": "250.00"}]
    assert money(body["total_value"]) == Decimal("250")


def test_a_client_can_be_left_with_no_accounts(
    load: Callable[[dict[str, Any]], None],
    get: Callable[..., Any],
    assign: Callable[[str, str], None],
) -> None:
    load(SEED)
    assign("cli-0006", "adv-004")
    client = copy.deepcopy(record(SEED, "clients", "cli-0006"))
    client["accounts"] = []

    load({"clients": [client]})

    body = get("/clients/{client_id}", client_id="cli-0006")
    assert body["accounts"] == []
    assert money(body["total_value"]) == Decimal(0)
    (entry,) = get("/advisors/{advisor_id}/clients", advisor_id="adv-004")["items"]
    assert (money(entry["total_value"]), entry["account_count"]) == (Decimal(0), 0)
    assert money(get("/advisors/{advisor_id}", advisor_id="adv-004")["total_assets"]) == 0


def test_lowering_capacity_below_the_client_count_keeps_the_clients_but_closes_the_advisor(
    load: Callable[[dict[str, Any]], None],
    api: Api,
    get: Callable[..., Any],
    assign: Callable[[str, str], None],
) -> None:
    load(SEED)
    for client_id in ("cli-0002", "cli-0003", "cli-0005"):
        assign(client_id, "adv-001")
    advisor = copy.deepcopy(record(SEED, "financial_advisors", "adv-001"))
    advisor["capacity"] = 2

    load({"financial_advisors": [advisor]})

    assert "adv-001" not in all_advisors(get, include_unavailable=False)
    listed = all_advisors(get, include_unavailable=True)["adv-001"]
    assert (listed["capacity"], listed["client_count"], listed["available"]) == (2, 3, False)
    detail = get("/advisors/{advisor_id}", advisor_id="adv-001")
    assert detail["available"] is False
    assert money(detail["total_assets"]) == sum(
        (exact_total(c) for c in ("cli-0002", "cli-0003", "cli-0005")), Decimal(0)
    )
    book = get("/advisors/{advisor_id}/clients", advisor_id="adv-001")
    assert [item["client_id"] for item in book["items"]] == ["cli-0002", "cli-0003", "cli-0005"]
    assert get("/clients/{client_id}", client_id="cli-0005")["advisor_id"] == "adv-001"
    refused = api(
        "PUT", "/clients/{client_id}/advisor", body={"advisor_id": "adv-001"}, client_id="cli-0006"
    )
    assert refused.status == 409
    assert refused.body["error"]["code"] == "conflict"


def test_raising_capacity_again_reopens_the_advisor(
    load: Callable[[dict[str, Any]], None],
    get: Callable[..., Any],
    assign: Callable[[str, str], None],
) -> None:
    load(SEED)
    assign("cli-0002", "adv-001")
    assign("cli-0003", "adv-001")
    advisor = copy.deepcopy(record(SEED, "financial_advisors", "adv-001"))
    advisor["capacity"] = 1
    load({"financial_advisors": [advisor]})
    assert "adv-001" not in all_advisors(get, include_unavailable=False)

    advisor["capacity"] = 3
    load({"financial_advisors": [advisor]})

    listed = all_advisors(get, include_unavailable=False)["adv-001"]
    assert (listed["capacity"], listed["client_count"], listed["available"]) == (3, 2, True)
    assign("cli-0005", "adv-001")
    assert get("/advisors/{advisor_id}", advisor_id="adv-001")["client_count"] == 3


def test_an_advisor_no_longer_accepting_new_clients_is_unavailable(
    load: Callable[[dict[str, Any]], None],
    api: Api,
    get: Callable[..., Any],
    assign: Callable[[str, str], None],
) -> None:
    load(SEED)
    assign("cli-0002", "adv-002")
    assert "adv-002" in all_advisors(get, include_unavailable=False)
    advisor = copy.deepcopy(record(SEED, "financial_advisors", "adv-002"))
    advisor["accepting_new_clients"] = False

    load({"financial_advisors": [advisor]})

    assert "adv-002" not in all_advisors(get, include_unavailable=False)
    listed = all_advisors(get, include_unavailable=True)["adv-002"]
    assert (listed["accepting_new_clients"], listed["available"]) == (False, False)
    assert listed["client_count"] == 1
    assert get("/clients/{client_id}", client_id="cli-0002")["advisor_id"] == "adv-002"
    refused = api(
        "PUT", "/clients/{client_id}/advisor", body={"advisor_id": "adv-002"}, client_id="cli-0003"
    )
    assert refused.status == 409


# --- 5. bad records ---------------------------------------------------------------------


def test_bad_records_are_rejected_one_by_one_and_the_good_ones_written(
    upload: Callable[..., Upload], api: Api, get: Callable[..., Any]
) -> None:
    def client(client_id: str, value: Any = 100.5, **extra: Any) -> dict[str, Any]:
        return {
            "id": client_id,
            "first_name": "Ada",
            "last_name": "Byron",
            "accounts": [{"id": f"acc-{client_id}", "type": "IRA", "value": value}],
            **extra,
        }

    missing_last_name = client("cli-103")
    del missing_last_name["last_name"]
    document = {
        "financial_advisors": [
            {"id": "adv-100", "name": "Good Advisor", "focus_areas": ["Tax Planning"]},
            {"id": "adv-101", "name": "x" * 201, "focus_areas": ["Tax Planning"]},
            {"id": "adv-100", "name": "Second Copy", "focus_areas": ["Tax Planning"]},
        ],
        "clients": [
            client("cli-100", 100.5),
            client("cli-101", -1),
            client("cli-102", "100.00"),
            missing_last_name,
            client("cli-100", 999),
            client("cli-104", nickname="Ace"),
            client("cli-105", 0.25),
        ],
    }

    uploaded = upload(document, key="bad-records.json")

    assert uploaded.status == "PARTIAL"
    status = get("/imports/{import_id}", import_id=uploaded.import_id)
    assert status["status"] == "PARTIAL"
    assert status["advisors_upserted"] == 1
    assert status["clients_upserted"] == 2
    assert status["rejected"] == 7
    paths = [error["path"] for error in status["errors"]]
    assert paths == [
        "financial_advisors[1].name",
        "financial_advisors[2]",
        "clients[1].accounts[0].value",
        "clients[2].accounts[0].value",
        "clients[3].last_name",
        "clients[4]",
        "clients[5].nickname",
    ]
    reasons = [error["message"] for error in status["errors"]]
    assert "200 characters" in reasons[0]
    assert "duplicate advisor id adv-100" in reasons[1]
    assert "greater than or equal to 0" in reasons[2]
    assert "number" in reasons[3].lower()
    assert "required" in reasons[4].lower()
    assert "duplicate client id cli-100" in reasons[5]
    assert "not permitted" in reasons[6]

    assert get("/advisors/{advisor_id}", advisor_id="adv-100")["name"] == "Good Advisor"
    assert money(get("/clients/{client_id}", client_id="cli-100")["total_value"]) == Decimal(
        "100.50"
    )
    assert money(get("/clients/{client_id}", client_id="cli-105")["total_value"]) == Decimal("0.25")
    assert api("GET", "/advisors/{advisor_id}", advisor_id="adv-101").status == 404
    for rejected in ("cli-101", "cli-102", "cli-103", "cli-104"):
        assert api("GET", "/clients/{client_id}", client_id=rejected).status == 404


def test_rejected_counts_every_bad_record_past_the_errors_kept(
    upload: Callable[..., Upload], get: Callable[..., Any]
) -> None:
    bad = [
        {"id": f"cli-{n:04d}", "first_name": "A", "last_name": "B", "accounts": [{"value": 1}]}
        for n in range(150)
    ]
    good = {"id": "cli-good", "first_name": "C", "last_name": "D", "accounts": []}

    uploaded = upload({"clients": [*bad, good]}, key="many-bad.json")

    status = get("/imports/{import_id}", import_id=uploaded.import_id)
    assert status["status"] == "PARTIAL"
    assert status["rejected"] == 150
    assert len(status["errors"]) == 100
    assert status["errors"][99]["path"] == "clients[99].accounts[0].type"
    assert status["clients_upserted"] == 1


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        pytest.param(b"1e400", "less than or equal to", id="beyond-a-float"),
        pytest.param(b"1000000000000", "less than or equal to", id="too-large"),
        pytest.param(b"12.345", "2 decimal places", id="sub-cent"),
        pytest.param(b"true", "Decimal", id="boolean"),
        pytest.param(b"null", "Decimal", id="null"),
    ],
)
def test_an_account_value_out_of_range_rejects_only_its_client(
    value: bytes, reason: str, upload: Callable[..., Upload], api: Api, get: Callable[..., Any]
) -> None:
    body = (
        b'{"clients": ['
        b'{"id": "cli-good", "first_name": "A", "last_name": "B",'
        b' "accounts": [{"type": "IRA", "value": 12.34}]},'
        b'{"id": "cli-bad", "first_name": "C", "last_name": "D",'
        b' "accounts": [{"type": "IRA", "value": ' + value + b"}]}]}"
    )

    uploaded = upload(body, key="one-bad-value.json")

    status = get("/imports/{import_id}", import_id=uploaded.import_id)
    assert (status["status"], status["clients_upserted"], status["rejected"]) == ("PARTIAL", 1, 1)
    (error,) = status["errors"]
    assert error["path"] == "clients[1].accounts[0].value"
    assert reason in error["message"]
    assert money(get("/clients/{client_id}", client_id="cli-good")["total_value"]) == Decimal(
        "12.34"
    )
    assert api("GET", "/clients/{client_id}", client_id="cli-bad").status == 404


def test_exact_values_keep_every_cent_and_read_back_with_two_decimals(
    load_seed: LoadSeed, get: Callable[..., Any]
) -> None:
    body = (
        b'{"clients": [{"id": "cli-exact", "first_name": "A", "last_name": "B", "accounts": ['
        b'{"id": "a1", "type": "IRA", "value": 0.1}, {"id": "a2", "type": "IRA", "value": 0.2},'
        b'{"id": "a3", "type": "IRA", "value": 1E2}, {"id": "a4", "type": "IRA", "value": 7},'
        b'{"id": "a5", "type": "IRA", "value": 999999999999.99}]}]}'
    )

    assert load_seed(body).status == "SUCCEEDED"
    client = get("/clients/{client_id}", client_id="cli-exact")
    assert [a["value"] for a in client["accounts"]] == [
        "0.10",
        "0.20",
        "100.00",
        "7.00",
        "999999999999.99",
    ]
    assert money(client["total_value"]) == Decimal("1000000000107.29")


def test_a_negative_zero_value_is_stored_as_zero(
    load_seed: LoadSeed, get: Callable[..., Any]
) -> None:
    body = (
        b'{"clients": [{"id": "cli-zero", "first_name": "A", "last_name": "B",'
        b' "accounts": [{"id": "a1", "type": "IRA", "value": -0.0}]}]}'
    )

    assert load_seed(body).status == "SUCCEEDED"
    client = get("/clients/{client_id}", client_id="cli-zero")
    assert client["accounts"] == [{"account_id": "a1", "type": "IRA", "value": "0.00"}]
    assert money(client["total_value"]) == 0


# --- 6. whole-file failures -------------------------------------------------------------


def changed_document() -> dict[str, Any]:
    """data.json with changes that would show if any of it were written."""
    changed = seed_copy()
    record(changed, "financial_advisors", "adv-001")["name"] = "Renamed By A Bad File"
    record(changed, "financial_advisors", "adv-004")["capacity"] = 1
    record(changed, "clients", "cli-0003")["accounts"][1]["value"] = 1.0
    record(changed, "clients", "cli-0002")["last_name"] = "Renamed"
    changed["clients"].append(
        {"id": "cli-9999", "first_name": "New", "last_name": "Client", "accounts": []}
    )
    return changed


def truncated() -> bytes:
    """The changed document cut off two thirds of the way in, inside the clients array."""
    text = json.dumps(changed_document()).encode()
    cut = text[: len(text) * 2 // 3]
    assert b'"cli-0003"' in cut
    return cut


WHOLE_FILE_FAILURES = [
    pytest.param(b"financial_advisors: adv-001, Renamed", "not valid JSON", id="not-json"),
    pytest.param(b"", "empty", id="empty"),
    pytest.param(
        json.dumps(changed_document()["financial_advisors"]).encode(),
        "must be a JSON object",
        id="top-level-array",
    ),
    pytest.param(
        json.dumps(
            {
                "advisors": changed_document()["financial_advisors"],
                "customers": changed_document()["clients"],
            }
        ).encode(),
        "neither a financial_advisors nor a clients array",
        id="neither-array",
    ),
    pytest.param(truncated(), "ends early", id="truncated"),
]


@pytest.mark.parametrize(("body", "reason"), WHOLE_FILE_FAILURES)
def test_a_file_that_cannot_be_read_fails_as_a_whole_and_changes_nothing(
    body: bytes,
    reason: str,
    upload: Callable[..., Upload],
    load: Callable[[dict[str, Any]], None],
    api: Api,
    get: Callable[..., Any],
    assign: Callable[[str, str], None],
) -> None:
    load(SEED)
    assign("cli-0003", "adv-004")
    before = book_snapshot(get)

    uploaded = upload(body, key="broken.json")

    assert uploaded.status == "FAILED"
    status = get("/imports/{import_id}", import_id=uploaded.import_id)
    assert status["status"] == "FAILED"
    assert status["finished_at"] is not None
    assert status["errors"][0]["path"] == "$"
    assert reason in status["errors"][0]["message"]
    assert_book_unchanged(before, book_snapshot(get))
    assert api("GET", "/clients/{client_id}", client_id="cli-9999").status == 404


def test_a_top_level_field_that_is_not_an_array_fails_the_file(
    upload: Callable[..., Upload], get: Callable[..., Any]
) -> None:
    uploaded = upload({"financial_advisors": {"id": "adv-001"}}, key="not-an-array.json")

    status = get("/imports/{import_id}", import_id=uploaded.import_id)
    assert status["status"] == "FAILED"
    assert status["errors"][0] == {"path": "$", "message": "financial_advisors must be an array"}


# --- 7. records without ids -------------------------------------------------------------


def test_records_without_ids_are_created_once_however_often_the_file_is_uploaded(
    load: Callable[[dict[str, Any]], None], get: Callable[..., Any], table: str
) -> None:
    document = {
        "financial_advisors": [
            {"name": "Ada Lovelace", "focus_areas": ["Tax Planning"]},
            {"name": "Alan Turing", "focus_areas": ["Retirement Planning"], "capacity": 4},
        ],
        "clients": [
            {
                "first_name": "Grace",
                "last_name": "Hopper",
                "accounts": [{"type": "IRA", "value": 10}, {"type": "HSA", "value": 5.5}],
            },
            {"first_name": "Edsger", "last_name": "Dijkstra", "accounts": []},
        ],
    }

    load(document)
    advisors_first = all_advisors(get, include_unavailable=True)
    clients_first = stored_client_ids(table)
    accounts_first = {
        c: get("/clients/{client_id}", client_id=c)["accounts"] for c in clients_first
    }
    load(document)

    advisors = all_advisors(get, include_unavailable=True)
    assert advisors == advisors_first
    assert sorted(a["name"] for a in advisors.values()) == ["Ada Lovelace", "Alan Turing"]
    assert stored_client_ids(table) == clients_first
    assert len(clients_first) == 2
    totals: dict[str, Decimal] = {}
    for client_id in clients_first:
        body = get("/clients/{client_id}", client_id=client_id)
        assert body["accounts"] == accounts_first[client_id]
        totals[body["last_name"]] = money(body["total_value"])
    assert totals == {"Hopper": Decimal("15.50"), "Dijkstra": Decimal(0)}


def test_records_without_ids_get_the_same_ids_through_the_s3_handler(
    upload: Callable[..., Upload], get: Callable[..., Any], table: str
) -> None:
    document = {
        "financial_advisors": [{"name": "Ada Lovelace", "focus_areas": ["Tax Planning"]}],
        "clients": [
            {
                "first_name": "Grace",
                "last_name": "Hopper",
                "accounts": [{"type": "IRA", "value": 1}],
            }
        ],
    }

    first = upload(document, key="no-ids.json")
    ids_first = (sorted(all_advisors(get, include_unavailable=True)), stored_client_ids(table))
    second = upload(document, key="no-ids.json")

    assert (first.status, second.status) == ("SUCCEEDED", "SUCCEEDED")
    assert first.import_id != second.import_id
    assert (sorted(all_advisors(get, include_unavailable=True)), stored_client_ids(table)) == (
        ids_first
    )
    assert len(ids_first[0]) == len(ids_first[1]) == 1


# --- 8. keys that S3 URL-encodes ----------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        pytest.param("seed files/book 2026.json", id="spaces"),
        pytest.param("seed files/Q1+Q2 (draft) é&co.json", id="special-characters"),
    ],
)
def test_a_key_with_spaces_or_special_characters_is_imported_under_its_decoded_name(
    key: str, upload: Callable[..., Upload], get: Callable[..., Any]
) -> None:
    encoded = s3_put_event("bucket", key)["Records"][0]["s3"]["object"]["key"]
    assert " " not in encoded
    assert encoded != key

    uploaded = upload(SEED_BYTES, key=key)

    assert uploaded.status == "SUCCEEDED"
    status = get("/imports/{import_id}", import_id=uploaded.import_id)
    assert status["key"] == key
    assert (status["advisors_upserted"], status["clients_upserted"]) == (14, 72)
    listing = get("/imports", query={"key": key})
    assert [item["import_id"] for item in listing["items"]] == [uploaded.import_id]


# --- 9. the S3 test event -----------------------------------------------------------------


def test_the_s3_test_event_is_ignored(
    functions: Functions, seed_bucket: str, get: Callable[..., Any]
) -> None:
    event = {
        "Service": "Amazon S3",
        "Event": "s3:TestEvent",
        "Time": "2026-01-01T00:00:00.000Z",
        "Bucket": seed_bucket,
        "RequestId": "5582815E1AEA5ADF",
        "HostId": "8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE",
    }

    result = functions("IngestFunction")(event)

    assert result == {"imports": []}
    assert get("/imports")["items"] == []
