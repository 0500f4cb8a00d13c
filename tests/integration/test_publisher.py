"""The publisher against moto: the table's real stream records in, the events topic's
subscribed queues out (filter policies applied), partial batch failures and duplicates."""

import json
from collections.abc import Callable
from typing import Any

import boto3
import pytest

from local.harness import template
from local.harness.events import ADMIN_CLAIMS, service_claims
from local.stack.streams import EventFilter, lambda_record
from tests.conftest import HttpResponse

Api = Callable[..., HttpResponse]
Functions = Callable[[str], Callable[[dict[str, Any]], Any]]
(MAPPING,) = template.stream_triggers()
OUTBOX = [EventFilter(pattern) for pattern in MAPPING.filters]


def subscribe(topic_arn: str, name: str, event_types: list[str]) -> str:
    """A FIFO queue subscribed to the topic with a filter policy on event_type; its URL."""
    sqs = boto3.client("sqs")
    url = sqs.create_queue(QueueName=f"{name}.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    boto3.client("sns").subscribe(
        TopicArn=topic_arn,
        Protocol="sqs",
        Endpoint=arn,
        Attributes={"FilterPolicy": json.dumps({"event_type": event_types})},
    )
    return url


def received(url: str) -> list[dict[str, Any]]:
    """Every notification on the queue (SNS's envelope: Message and MessageAttributes)."""
    sqs = boto3.client("sqs")
    found: list[dict[str, Any]] = []
    while True:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        if not messages:
            return found
        for message in messages:
            found.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def outbox_records(table: str, kind: str = "client.") -> list[dict[str, Any]]:
    """The table's stream so far, as the publisher's mapping hands it over (filtered), of the
    event types that start with `kind` (the seeded book's import has its own)."""
    stream_arn = boto3.client("dynamodb").describe_table(TableName=table)["Table"][
        "LatestStreamArn"
    ]
    streams = boto3.client("dynamodbstreams")
    (shard,) = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"]
    iterator = streams.get_shard_iterator(
        StreamArn=stream_arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    records = [
        lambda_record(r, stream_arn) for r in streams.get_records(ShardIterator=iterator)["Records"]
    ]
    return [
        r
        for r in records
        if any(f.matches(r) for f in OUTBOX)
        and r["dynamodb"]["NewImage"]["event_type"]["S"].startswith(kind)
    ]


def assign(api: Api, client_id: str, advisor_id: str, claims: dict[str, Any]) -> None:
    response = api(
        "PUT",
        "/clients/{client_id}/advisor",
        body={"advisor_id": advisor_id},
        client_id=client_id,
        claims=claims,
    )
    assert response.status == 200, response.body


@pytest.fixture
def topic(resources: dict[str, str]) -> str:
    return resources["EventsTopic"]


def test_an_assignment_is_published_with_its_attributes_to_the_queues_that_want_it(
    api: Api, functions: Functions, seeded: dict[str, Any], table: str, topic: str
) -> None:
    assignments = subscribe(topic, "assignments", ["client.assigned", "client.reassigned"])
    imports = subscribe(topic, "imports", ["import.finished"])
    assign(api, "cli-0001", "adv-001", ADMIN_CLAIMS)
    assign(api, "cli-0001", "adv-002", service_claims("crm", ["advisor-book/assign"]))

    answer = functions("PublisherFunction")({"Records": outbox_records(table)})

    assert answer == {"batchItemFailures": []}
    first, second = received(assignments)
    assert received(imports) == []
    attributes = {name: value["Value"] for name, value in second["MessageAttributes"].items()}
    assert attributes == {
        "event_type": "client.reassigned",
        "advisor_id": "adv-002",
        "previous_advisor_id": "adv-001",
        "client_id": "cli-0001",
    }
    assert "previous_advisor_id" not in first["MessageAttributes"]
    event = json.loads(second["Message"])
    assert event["actor"] == {"type": "service", "id": "crm", "role": None}
    assert json.loads(first["Message"])["actor"] == {
        "type": "user",
        "id": ADMIN_CLAIMS["sub"],
        "role": "admin",
    }


def test_a_record_that_cannot_be_published_is_reported_alone_and_stops_the_batch(
    api: Api, functions: Functions, seeded: dict[str, Any], table: str, topic: str
) -> None:
    queue = subscribe(topic, "all", ["client.assigned", "client.reassigned", "client.unassigned"])
    for client_id in ("cli-0001", "cli-0002"):
        assign(api, client_id, "adv-001", ADMIN_CLAIMS)
    good, later = outbox_records(table)
    broken = json.loads(json.dumps(good))
    broken["dynamodb"]["SequenceNumber"] = "42"
    broken["dynamodb"]["NewImage"]["event_type"] = {"S": "client.renamed"}

    answer = functions("PublisherFunction")({"Records": [good, broken, later]})

    assert answer == {"batchItemFailures": [{"itemIdentifier": "42"}]}
    published = [json.loads(n["Message"])["client_id"] for n in received(queue)]
    assert published == ["cli-0001"]  # cli-0002's waits for the retry from the broken record


def test_a_record_delivered_twice_is_published_once(
    api: Api, functions: Functions, seeded: dict[str, Any], table: str, topic: str
) -> None:
    """The topic deduplicates on the event id. moto's FIFO topic passes the id on to its FIFO
    queues, which drop a repeat within 5 minutes (in AWS the topic itself drops it)."""
    queue = subscribe(topic, "assignments", ["client.assigned"])
    assign(api, "cli-0001", "adv-001", ADMIN_CLAIMS)
    (record,) = outbox_records(table)
    publisher = functions("PublisherFunction")

    publisher({"Records": [record]})
    publisher({"Records": [record]})

    (notification,) = received(queue)
    assert json.loads(notification["Message"])["event_type"] == "client.assigned"


def test_an_import_that_finishes_publishes_its_outcome(
    load_seed: Callable[[Any], Any], functions: Functions, table: str, topic: str
) -> None:
    queue = subscribe(topic, "imports", ["import.finished"])
    status = load_seed({"financial_advisors": [], "clients": [{"id": "x"}]})

    functions("PublisherFunction")({"Records": outbox_records(table, "import.")})

    (notification,) = received(queue)
    event = json.loads(notification["Message"])
    assert (event["import_id"], event["import_status"]) == (status.import_id, "FAILED")
    assert event["counts"] == {"advisors_upserted": 0, "clients_upserted": 0, "rejected": 1}
    assert event["actor"] == {"type": "import", "id": status.import_id, "role": None}
    assert notification["MessageAttributes"]["import_status"]["Value"] == "FAILED"
