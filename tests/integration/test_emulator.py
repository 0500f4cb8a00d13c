"""The embedded emulator's DynamoDB transactions (local.stack.emulator, local.stack.fidelity)
against the template's table: all or nothing, as in DynamoDB, at a cost that does not grow with
the table.
"""

import socket
import uuid
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto.dynamodb.models.dynamo_type import Item
from moto.dynamodbstreams.models import dynamodbstreams_backends

from local.harness import template
from local.stack.emulator import Emulator
from local.stack.fidelity import MAX_SHARD_ITERATORS

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def emulator_url() -> Iterator[str]:
    port = _free_port()
    emulator = Emulator("127.0.0.1", port)
    emulator.start()
    yield f"http://127.0.0.1:{port}"
    emulator.stop()


@pytest.fixture
def dynamodb(emulator_url: str) -> "DynamoDBClient":
    return boto3.client(
        "dynamodb",
        endpoint_url=emulator_url,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


@pytest.fixture
def table(dynamodb: "DynamoDBClient") -> str:
    """A fresh table with the template's keys and indexes."""
    name = f"book-{uuid.uuid4().hex[:8]}"
    dynamodb.create_table(**template.table_definition(name))
    return name


def item(pk: str, sk: str, **attributes: str) -> dict[str, Any]:
    return {"PK": {"S": pk}, "SK": {"S": sk}, **{k: {"S": v} for k, v in attributes.items()}}


def key(pk: str, sk: str) -> dict[str, Any]:
    return item(pk, sk)


Snapshot = Callable[[], tuple[list[dict[str, Any]], list[dict[str, Any]]]]


@pytest.fixture
def snapshot(dynamodb: "DynamoDBClient", table: str) -> Snapshot:
    """Every item of the table, and what the GSI1 index holds, in a comparable order."""

    def take() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        items = dynamodb.scan(TableName=table, ConsistentRead=True)["Items"]
        indexed = dynamodb.query(
            TableName=table,
            IndexName="GSI1",
            KeyConditionExpression="GSI1PK = :available",
            ExpressionAttributeValues={":available": {"S": "AVAILABLE"}},
        )["Items"]

        def order(i: dict[str, Any]) -> tuple[str, str]:
            return i["PK"]["S"], i["SK"]["S"]

        return sorted(items, key=order), sorted(indexed, key=order)

    return take


@pytest.fixture
def book(dynamodb: "DynamoDBClient", table: str) -> None:
    """An advisor in the availability index, two clients, and a membership."""
    for stored in (
        item("ADVISOR#a1", "PROFILE", name="Ada", GSI1PK="AVAILABLE", GSI1SK="a1", count="1"),
        item("CLIENT#c1", "PROFILE", name="Grace"),
        item("CLIENT#c2", "PROFILE", name="Alan", advisor="a1"),
        item("ADVISOR#a1", "CLIENT#c2", name="Alan"),
    ):
        dynamodb.put_item(TableName=table, Item=stored)


def transaction(table: str, *, guard: str) -> list["TransactWriteItemTypeDef"]:
    """Put a membership, fill the advisor (out of the index), move a client, delete the old
    membership, and last a check on c1 whose `guard` condition decides the outcome."""
    return [
        {"Put": {"TableName": table, "Item": item("ADVISOR#a1", "CLIENT#c1", name="Grace")}},
        {
            "Update": {
                "TableName": table,
                "Key": key("ADVISOR#a1", "PROFILE"),
                "UpdateExpression": "SET #count = :full REMOVE GSI1PK, GSI1SK",
                "ConditionExpression": "#count = :seen",
                "ExpressionAttributeNames": {"#count": "count"},
                "ExpressionAttributeValues": {":full": {"S": "2"}, ":seen": {"S": "1"}},
            }
        },
        {"Delete": {"TableName": table, "Key": key("ADVISOR#a1", "CLIENT#c2")}},
        {
            "ConditionCheck": {
                "TableName": table,
                "Key": key("CLIENT#c1", "PROFILE"),
                "ConditionExpression": guard,
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        },
    ]


@pytest.mark.usefixtures("book")
def test_a_cancelled_transaction_leaves_every_item_as_it_was(
    dynamodb: "DynamoDBClient", table: str, snapshot: Snapshot
) -> None:
    before = snapshot()

    with pytest.raises(ClientError) as raised:
        dynamodb.transact_write_items(
            TransactItems=transaction(table, guard="attribute_exists(advisor)")
        )

    error = raised.value.response
    assert error["Error"]["Code"] == "TransactionCanceledException"
    reasons = error["CancellationReasons"]
    assert [r["Code"] for r in reasons] == ["None", "None", "None", "ConditionalCheckFailed"]
    assert reasons[3]["Item"] == item("CLIENT#c1", "PROFILE", name="Grace")
    assert snapshot() == before


@pytest.mark.usefixtures("book")
def test_a_transaction_that_fails_validation_midway_leaves_every_item_as_it_was(
    dynamodb: "DynamoDBClient", table: str, snapshot: Snapshot
) -> None:
    before = snapshot()
    items = transaction(table, guard="attribute_not_exists(advisor)")
    items[3] = {"Delete": {"TableName": table, "Key": {"PK": {"S": "CLIENT#c1"}}}}  # no SK

    with pytest.raises(ClientError) as raised:
        dynamodb.transact_write_items(TransactItems=items)

    assert raised.value.response["Error"]["Code"] == "ValidationException"
    assert snapshot() == before


@pytest.mark.usefixtures("book")
def test_a_successful_transaction_applies_every_write(
    dynamodb: "DynamoDBClient", table: str, snapshot: Snapshot
) -> None:
    dynamodb.transact_write_items(
        TransactItems=transaction(table, guard="attribute_not_exists(advisor)")
    )

    items, indexed = snapshot()
    assert items == [
        item("ADVISOR#a1", "CLIENT#c1", name="Grace"),
        item("ADVISOR#a1", "PROFILE", name="Ada", count="2"),
        item("CLIENT#c1", "PROFILE", name="Grace"),
        item("CLIENT#c2", "PROFILE", name="Alan", advisor="a1"),
    ]
    assert indexed == []


@pytest.mark.usefixtures("book")
def test_a_transaction_backs_up_only_the_items_it_touches(
    dynamodb: "DynamoDBClient", table: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Copying the whole table for a backup would make each transaction as slow as the table
    is large; counted here as items copied, which must not depend on the table's size."""
    for batch in range(40):
        dynamodb.batch_write_item(
            RequestItems={
                table: [
                    {"PutRequest": {"Item": item(f"CLIENT#x{batch}-{n}", "PROFILE", name="X")}}
                    for n in range(25)
                ]
            }
        )
    copied: list[Item] = []
    deepcopy = Item.__deepcopy__

    def counting(self: Item, memo: dict[int, Any]) -> Item:
        copied.append(self)
        return deepcopy(self, memo)

    monkeypatch.setattr(Item, "__deepcopy__", counting)
    with pytest.raises(ClientError):
        dynamodb.transact_write_items(
            TransactItems=transaction(table, guard="attribute_exists(advisor)")
        )
    dynamodb.transact_write_items(
        TransactItems=transaction(table, guard="attribute_not_exists(advisor)")
    )
    monkeypatch.undo()

    # Per transaction: the three items it touches that exist, and moto copies the updated one.
    assert len(copied) <= 2 * 4


def test_reading_a_stream_keeps_a_bounded_number_of_shard_iterators(
    dynamodb: "DynamoDBClient", table: str, emulator_url: str
) -> None:
    """Each GetRecords makes a new iterator; a stack that reads its stream all day must not
    keep them all."""
    streams = boto3.client(
        "dynamodbstreams",
        endpoint_url=emulator_url,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    stream_arn = dynamodb.describe_table(TableName=table)["Table"]["LatestStreamArn"]
    (shard,) = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"]
    iterator = streams.get_shard_iterator(
        StreamArn=stream_arn, ShardId=shard["ShardId"], ShardIteratorType="LATEST"
    )["ShardIterator"]
    for _ in range(MAX_SHARD_ITERATORS + 50):
        iterator = streams.get_records(ShardIterator=iterator)["NextShardIterator"]
    dynamodb.put_item(TableName=table, Item=item("CLIENT#s", "PROFILE", name="S"))

    (record,) = streams.get_records(ShardIterator=iterator)["Records"]
    assert record["dynamodb"]["Keys"]["PK"] == {"S": "CLIENT#s"}
    kept = sum(len(b.shard_iterators) for b in dynamodbstreams_backends["123456789012"].values())
    assert kept <= MAX_SHARD_ITERATORS
