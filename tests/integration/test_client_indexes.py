"""The copies that finding clients reads, kept right by imports and assignments: the name
entries, the profile's copy of its advisor and its place in the unassigned index. After each
workload the checker reads the whole table and proves every invariant.
"""

import copy
import hashlib
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import boto3
import pytest

from advisor_book import keys
from advisor_book.import_reports import ImportStatus
from advisor_book.ingest.records import ClientWrite, client_write
from advisor_book.seed import SeedClient
from advisor_book.store.ingest import IngestStore
from local.harness.checker import check_table
from tests.conftest import HttpResponse

Api = Callable[..., HttpResponse]
LoadSeed = Callable[[Any], ImportStatus]


def found(api: Api, **query: str) -> dict[str, str | None]:
    """client id -> advisor id of every client the query finds (one page of 100)."""
    response = api("GET", "/clients", query={**query, "limit": "100"})
    assert response.status == 200, response.body
    assert response.body["next_token"] is None
    return {item["client_id"]: item["advisor_id"] for item in response.body["items"]}


def client_record(document: dict[str, Any], client_id: str) -> dict[str, Any]:
    record: dict[str, Any] = next(c for c in document["clients"] if c["id"] == client_id)
    return record


def problems(table: str) -> list[str]:
    return check_table(boto3.client("dynamodb"), table)


def test_a_renamed_client_is_found_by_its_new_name_only(
    api: Api, seeded: dict[str, Any], load_seed: LoadSeed, table: str
) -> None:
    first_name = client_record(seeded, "cli-0001")["first_name"]
    assert (
        api(
            "PUT",
            "/clients/{client_id}/advisor",
            body={"advisor_id": "adv-001"},
            client_id="cli-0001",
        ).status
        == 200
    )
    renamed = copy.deepcopy(seeded)
    client_record(renamed, "cli-0001").update(first_name="Zébulon", last_name="Quixote")

    assert load_seed(renamed).status == "SUCCEEDED"

    assert found(api, name="zebu") == {"cli-0001": "adv-001"}
    assert found(api, name="QUIX", advisor_id="adv-001") == {"cli-0001": "adv-001"}
    assert "cli-0001" not in found(api, name=first_name)
    assert "cli-0001" not in found(api, name=first_name, advisor_id="adv-001")
    assert problems(table) == []


def before_the_profiles_are_written(
    monkeypatch: pytest.MonkeyPatch, action: Callable[[], HttpResponse]
) -> list[int]:
    """Run `action` once, after the import read the stored clients and before it writes them."""
    real_put_clients = IngestStore.put_clients
    statuses: list[int] = []

    def put_clients(self: IngestStore, writes: list[ClientWrite]) -> None:
        if writes and not statuses:
            statuses.append(action().status)
        real_put_clients(self, writes)

    monkeypatch.setattr(IngestStore, "put_clients", put_clients)
    return statuses


def with_a_new_account(seeded: dict[str, Any], client_id: str) -> dict[str, Any]:
    changed = copy.deepcopy(seeded)
    client_record(changed, client_id)["accounts"].append(
        {"id": f"{client_id}-new", "type": "IRA", "value": 10.25}
    )
    return changed


def test_an_assignment_between_an_imports_read_and_its_write_is_copied_onto_the_client(
    api: Api,
    seeded: dict[str, Any],
    load_seed: LoadSeed,
    table: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ran = before_the_profiles_are_written(
        monkeypatch,
        lambda: api(
            "PUT",
            "/clients/{client_id}/advisor",
            body={"advisor_id": "adv-001"},
            client_id="cli-0001",
        ),
    )

    assert load_seed(with_a_new_account(seeded, "cli-0001")).status == "SUCCEEDED"

    assert ran == [200]
    assert "cli-0001" not in found(api, unassigned="true")
    assert found(api, advisor_id="adv-001") == {"cli-0001": "adv-001"}
    last_name = client_record(seeded, "cli-0001")["last_name"]
    assert found(api, name=last_name)["cli-0001"] == "adv-001"
    assert problems(table) == []


def test_an_unassignment_in_that_window_puts_the_client_back_among_the_unassigned(
    api: Api,
    seeded: dict[str, Any],
    load_seed: LoadSeed,
    table: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert (
        api(
            "PUT",
            "/clients/{client_id}/advisor",
            body={"advisor_id": "adv-001"},
            client_id="cli-0001",
        ).status
        == 200
    )
    ran = before_the_profiles_are_written(
        monkeypatch, lambda: api("DELETE", "/clients/{client_id}/advisor", client_id="cli-0001")
    )

    assert load_seed(with_a_new_account(seeded, "cli-0001")).status == "SUCCEEDED"

    assert ran == [204]
    assert found(api, unassigned="true")["cli-0001"] is None
    last_name = client_record(seeded, "cli-0001")["last_name"]
    assert found(api, name=last_name)["cli-0001"] is None
    assert problems(table) == []


def earlier_revision(record: dict[str, Any]) -> str:
    """A client's revision as releases before the name index computed it."""
    exact = json.loads(json.dumps(record), parse_float=Decimal)
    accounts = client_write(SeedClient.model_validate(exact)).accounts
    content = json.dumps(
        [record["first_name"], record["last_name"], [a.model_dump(mode="json") for a in accounts]],
        separators=(",", ":"),
    )
    return hashlib.sha256(content.encode()).hexdigest()[:24]


def as_stored_by_an_earlier_release(table: str, seeded: dict[str, Any]) -> None:
    """The book as a release before the name index left it: no name entries, profiles and
    copies without the names' normal forms, the advisor's copy or the index keys, and their
    revisions computed the earlier way."""
    db = boto3.client("dynamodb")
    pages = db.get_paginator("scan").paginate(TableName=table)
    items = [item for page in pages for item in page["Items"]]
    revisions = {c["id"]: earlier_revision(c) for c in seeded["clients"]}
    for item in items:
        pk, sk = item[keys.PK]["S"], item[keys.SK]["S"]
        key = {keys.PK: item[keys.PK], keys.SK: item[keys.SK]}
        client_id = item.get("client_id", {}).get("S")
        if sk.startswith(keys.NAME_PREFIX):
            db.delete_item(TableName=table, Key=key)
        elif (sk == keys.PROFILE and pk.startswith("CLIENT#")) or sk.startswith(keys.MEMBER_PREFIX):
            db.update_item(
                TableName=table,
                Key=key,
                UpdateExpression="SET revision = :revision REMOVE first_name_key, "
                "last_name_key, advisor_id, GSI1PK, GSI1SK, GSI2PK, GSI2SK",
                ExpressionAttributeValues={":revision": {"S": revisions[str(client_id)]}},
            )
        elif sk == keys.ASSIGNMENT and "credited_revision" in item:
            db.update_item(
                TableName=table,
                Key=key,
                UpdateExpression="SET credited_revision = :revision",
                ExpressionAttributeValues={":revision": {"S": revisions[str(client_id)]}},
            )


def test_importing_the_file_again_gives_clients_stored_earlier_their_index_entries(
    api: Api, seeded: dict[str, Any], load_seed: LoadSeed, table: str
) -> None:
    assert (
        api(
            "PUT",
            "/clients/{client_id}/advisor",
            body={"advisor_id": "adv-001"},
            client_id="cli-0001",
        ).status
        == 200
    )
    as_stored_by_an_earlier_release(table, seeded)
    assert found(api) == {}
    assert problems(table) != []

    assert load_seed(seeded).status == "SUCCEEDED"

    everyone = found(api)
    assert len(everyone) == len(seeded["clients"])
    assert everyone["cli-0001"] == "adv-001"
    assert set(found(api, unassigned="true")) == set(everyone) - {"cli-0001"}
    last_name = client_record(seeded, "cli-0001")["last_name"]
    assert found(api, name=last_name, advisor_id="adv-001") == {"cli-0001": "adv-001"}
    assert problems(table) == []
