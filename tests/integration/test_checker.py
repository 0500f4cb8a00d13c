"""The table checker finds every kind of broken invariant, and nothing in a consistent book."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import boto3
import pytest

from advisor_book import keys
from advisor_book.store.core import to_wire
from local.harness.checker import check_table
from tests.conftest import HttpResponse

Api = Callable[..., HttpResponse]


@pytest.fixture
def book(api: Api, seeded: dict[str, Any]) -> None:
    """data.json with a few assignments, one reassignment and one unassignment."""
    for client_id, advisor_id in [
        ("cli-0001", "adv-001"),
        ("cli-0002", "adv-001"),
        ("cli-0003", "adv-002"),
        ("cli-0001", "adv-002"),
        ("cli-0004", "adv-003"),
    ]:
        path = "/clients/{client_id}/advisor"
        body = {"advisor_id": advisor_id}
        assert api("PUT", path, body=body, client_id=client_id).status == 200
    assert api("DELETE", "/clients/{client_id}/advisor", client_id="cli-0004").status == 204


def update(table: str, key: keys.Key, expression: str, **values: Any) -> None:
    request: dict[str, Any] = {"TableName": table, "Key": to_wire(key)}
    if values:
        request["ExpressionAttributeValues"] = to_wire({f":{k}": v for k, v in values.items()})
    boto3.client("dynamodb").update_item(UpdateExpression=expression, **request)


def problems(table: str) -> list[str]:
    return check_table(boto3.client("dynamodb"), table)


def test_a_consistent_book_has_no_problems(book: None, table: str) -> None:
    assert problems(table) == []


def test_an_advisor_total_off_by_a_cent_is_found(book: None, table: str) -> None:
    update(
        table,
        keys.advisor_profile("adv-001"),
        "SET total_assets = total_assets + :c",
        c=Decimal("0.01"),
    )

    (found,) = problems(table)
    assert found.startswith("advisor adv-001: total_assets")


def test_a_client_under_two_advisors_is_found(book: None, table: str) -> None:
    copy = boto3.client("dynamodb").get_item(
        TableName=table, Key=to_wire(keys.membership("adv-002", "cli-0001"))
    )["Item"]
    stray = {**copy, **to_wire(keys.membership("adv-003", "cli-0001"))}
    boto3.client("dynamodb").put_item(TableName=table, Item=stray)

    found = problems(table)

    assert "client cli-0001: assigned to adv-002, copied under ['adv-002', 'adv-003']" in found
    assert any(p.startswith("advisor adv-003: client_count 0, 1 copies") for p in found)


def test_a_copy_that_differs_from_its_profile_is_found(book: None, table: str) -> None:
    update(table, keys.membership("adv-001", "cli-0002"), "SET last_name = :n", n="Renamed")

    assert "client cli-0002: copy under adv-001 differs from profile in ['last_name']" in (
        problems(table)
    )


def test_a_credit_that_differs_from_the_copy_is_found(book: None, table: str) -> None:
    update(table, keys.client_assignment("cli-0003"), "SET credited_total = :t", t=1)

    assert "client cli-0003: credit on the assignment differs from the copy" in problems(table)


def test_an_available_advisor_missing_from_the_availability_index_is_found(
    book: None, table: str
) -> None:
    update(table, keys.advisor_profile("adv-002"), "REMOVE GSI1PK, GSI1SK")

    assert any(p.startswith("advisor adv-002: availability index") for p in problems(table))


def test_an_advisor_over_capacity_is_found_unless_capacities_may_have_been_lowered(
    book: None, table: str
) -> None:
    boto3.client("dynamodb").update_item(
        TableName=table,
        Key=to_wire(keys.advisor_profile("adv-002")),
        UpdateExpression="SET #capacity = :one REMOVE GSI1PK, GSI1SK",
        ExpressionAttributeNames={"#capacity": "capacity"},
        ExpressionAttributeValues={":one": {"N": "1"}},
    )

    assert "advisor adv-002: client_count 2 over capacity 1" in problems(table)
    assert check_table(boto3.client("dynamodb"), table, strict_capacity=False) == []


def test_a_broken_history_chain_is_found(book: None, table: str) -> None:
    db = boto3.client("dynamodb")
    history = db.query(
        TableName=table,
        KeyConditionExpression="PK = :pk AND begins_with(SK, :history)",
        ExpressionAttributeValues=to_wire(
            {":pk": keys.client_pk("cli-0001"), ":history": keys.HISTORY_PREFIX}
        ),
    )["Items"]
    db.delete_item(
        TableName=table, Key={keys.PK: history[0][keys.PK], keys.SK: history[0][keys.SK]}
    )

    assert any(p.startswith("client cli-0001: history breaks") for p in problems(table))


@pytest.mark.parametrize(
    ("key", "expression", "values", "expected"),
    [
        pytest.param(
            keys.client_profile("cli-0001"),
            "REMOVE advisor_id",
            {},
            ["client cli-0001: profile copies advisor None", "client cli-0001: FIRST name entry"],
            id="profile-without-its-advisor",
        ),
        pytest.param(
            keys.client_profile("cli-0005"),
            "REMOVE GSI1PK, GSI1SK",
            {},
            ["client cli-0005: index entries"],
            id="unassigned-client-out-of-the-unassigned-index",
        ),
        pytest.param(
            keys.client_profile("cli-0005"),
            "SET first_name_key = :k",
            {"k": "x"},
            ["client cli-0005: first_name_key", "client cli-0005: FIRST name entry differs"],
            id="name-out-of-its-normal-form",
        ),
        pytest.param(
            keys.name_entry("cli-0002", keys.LAST),
            "SET advisor_id = :a",
            {"a": "adv-002"},
            ["client cli-0002: LAST name entry differs in ['advisor_id']"],
            id="name-entry-with-another-advisor",
        ),
        pytest.param(
            keys.name_entry("cli-0005", keys.FIRST),
            "SET GSI1SK = :s",
            {"s": "zzz#cli-0005"},
            ["client cli-0005: FIRST name entry not indexed"],
            id="name-entry-indexed-under-another-name",
        ),
        pytest.param(
            keys.membership("adv-001", "cli-0002"),
            "SET last_name_key = :k",
            {"k": "x"},
            ["client cli-0002: copy under adv-001 differs from profile in ['last_name_key']"],
            id="copy-out-of-its-normal-form",
        ),
    ],
)
def test_a_client_listed_wrongly_by_a_search_is_found(
    book: None,
    table: str,
    key: keys.Key,
    expression: str,
    values: dict[str, Any],
    expected: list[str],
) -> None:
    update(table, key, expression, **values)

    found = problems(table)
    client = expected[0].split(":")[0]
    assert found
    assert all(problem.startswith(f"{client}:") for problem in found), found
    for start in expected:
        assert any(problem.startswith(start) for problem in found), (start, found)


def test_a_missing_name_entry_is_found(book: None, table: str) -> None:
    boto3.client("dynamodb").delete_item(
        TableName=table, Key=to_wire(keys.name_entry("cli-0005", keys.LAST))
    )

    assert problems(table) == ["client cli-0005: name entries ['FIRST']"]


def test_an_advisors_notification_preferences_belong_to_the_book(
    api: Api, book: None, table: str
) -> None:
    path = "/advisors/{advisor_id}/notification-preferences"
    body = {"email": "ada@example.com", "event_types": ["client.assigned"]}
    assert api("PUT", path, body=body, advisor_id="adv-001").status == 200

    assert problems(table) == []


def test_notification_preferences_without_an_advisor_are_found(book: None, table: str) -> None:
    item = {**keys.notification_preferences("adv-999"), "advisor_id": "adv-999", "event_types": []}
    boto3.client("dynamodb").put_item(TableName=table, Item=to_wire(item))

    assert problems(table) == [
        "advisor adv-999: notification preferences without an advisor profile"
    ]


def history_keys(table: str, client_id: str) -> list[keys.Key]:
    found = boto3.client("dynamodb").query(
        TableName=table,
        KeyConditionExpression="PK = :pk AND begins_with(SK, :history)",
        ExpressionAttributeValues=to_wire(
            {":pk": keys.client_pk(client_id), ":history": keys.HISTORY_PREFIX}
        ),
    )["Items"]
    return [{keys.PK: item[keys.PK]["S"], keys.SK: item[keys.SK]["S"]} for item in found]


def test_an_outbox_record_that_misnames_its_change_is_found(book: None, table: str) -> None:
    first, _ = history_keys(table, "cli-0001")
    update(table, first, "SET event_type = :reassigned", reassigned="client.reassigned")

    assert problems(table) == [
        f"client cli-0001: outbox record {first[keys.SK]} is a client.reassigned, "
        "not the change it records"
    ]


def test_an_import_outbox_record_that_contradicts_its_status_is_found(
    book: None, table: str
) -> None:
    (event,) = [
        {keys.PK: item[keys.PK]["S"], keys.SK: item[keys.SK]["S"]}
        for item in boto3.client("dynamodb").scan(TableName=table)["Items"]
        if item[keys.SK]["S"] == keys.IMPORT_FINISHED_EVENT
    ]
    update(table, event, "SET counts.rejected = :more", more=7)

    import_id = event[keys.PK].removeprefix("IMPORT#")
    assert problems(table) == [f"import {import_id}: its outbox record says other than its status"]
