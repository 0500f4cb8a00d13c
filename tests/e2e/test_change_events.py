"""Change events over the local stack: a change made over HTTP (or an upload) reaches a queue
subscribed to the events topic with a filter policy, through the table's stream and the
publisher, as it would in AWS; a queue whose filter does not match receives nothing.

The stack is one of its own: the advisor this module imports would change what the shared
stack's tests expect of data.json.
"""

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import LocalStack, free_port, start_stack

# A safety net of minutes, not a measure: the stream is polled, and the machine may be busy.
DELIVERY_WITHIN_SECONDS = 300


class Subscriber:
    """A FIFO queue of the stack's emulator, subscribed to the events topic with a filter."""

    def __init__(self, stack: LocalStack, policy: dict[str, list[str]]) -> None:
        self._sqs = stack.aws("sqs")
        sns = stack.aws("sns")
        (topic,) = [
            t["TopicArn"] for t in sns.list_topics()["Topics"] if "EventsTopic" in t["TopicArn"]
        ]
        name = f"subscriber-{uuid.uuid4().hex[:12]}.fifo"
        self.url = self._sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "true"})[
            "QueueUrl"
        ]
        arn = self._sqs.get_queue_attributes(QueueUrl=self.url, AttributeNames=["QueueArn"])
        sns.subscribe(
            TopicArn=topic,
            Protocol="sqs",
            Endpoint=arn["Attributes"]["QueueArn"],
            Attributes={"FilterPolicy": json.dumps(policy)},
        )

    def receive(self, wait: float = 0) -> list[dict[str, Any]]:
        """The notifications on the queue, polling until there is one or `wait` has passed."""
        deadline = time.monotonic() + wait
        while True:
            messages = self._sqs.receive_message(
                QueueUrl=self.url, MaxNumberOfMessages=10, WaitTimeSeconds=1
            ).get("Messages", [])
            if messages or time.monotonic() >= deadline:
                return [json.loads(m["Body"]) for m in messages]


@pytest.fixture(scope="module")
def stack() -> Iterator[LocalStack]:
    running = start_stack(free_port(), free_port())
    yield running
    assert running.stop() == 0


@pytest.fixture(scope="module")
def own_book(stack: LocalStack) -> str:
    """An advisor and a client of this module's own, imported: the client's id."""
    suffix = uuid.uuid4().hex[:8]
    document = {
        "financial_advisors": [{"id": f"adv-ev-{suffix}", "name": "A", "focus_areas": ["Tax"]}],
        "clients": [
            {"id": f"cli-ev-{suffix}", "first_name": "B", "last_name": "C", "accounts": []}
        ],
    }
    key = f"events/{suffix}.json"
    stack.s3().put_object(Bucket=stack.bucket, Key=key, Body=json.dumps(document).encode())
    assert stack.wait_for_import(key, within=DELIVERY_WITHIN_SECONDS)["status"] == "SUCCEEDED"
    return suffix


def test_an_assignment_over_http_is_published_with_its_actor(
    stack: LocalStack, own_book: str
) -> None:
    client_id, advisor_id = f"cli-ev-{own_book}", f"adv-ev-{own_book}"
    wanted = Subscriber(stack, {"event_type": ["client.assigned"], "client_id": [client_id]})
    unrelated = Subscriber(stack, {"event_type": ["client.unassigned"], "client_id": [client_id]})

    reply = stack.request(
        "PUT", f"/clients/{client_id}/advisor", {"advisor_id": advisor_id}, user="admin"
    )
    assert reply.status == 200

    (notification,) = wanted.receive(wait=DELIVERY_WITHIN_SECONDS)
    event = json.loads(notification["Message"])
    assert (event["event_type"], event["client_id"], event["advisor_id"]) == (
        "client.assigned",
        client_id,
        advisor_id,
    )
    assert event["actor"]["type"] == "user"
    assert event["actor"]["role"] == "admin"
    assert notification["MessageAttributes"]["advisor_id"]["Value"] == advisor_id
    # The topic delivers to every subscription as it publishes: the other one had its chance.
    assert unrelated.receive() == []
    history = stack.request("GET", f"/clients/{client_id}/assignments").body["items"]
    assert history[0]["actor"] == event["actor"]


def test_an_import_that_finishes_is_published(stack: LocalStack) -> None:
    imports = Subscriber(stack, {"event_type": ["import.finished"]})
    key = f"events/empty-{uuid.uuid4().hex[:8]}.json"

    stack.s3().put_object(Bucket=stack.bucket, Key=key, Body=b'{"clients": []}')
    imported = stack.wait_for_import(key, within=DELIVERY_WITHIN_SECONDS)

    deadline = time.monotonic() + DELIVERY_WITHIN_SECONDS
    events: list[dict[str, Any]] = []
    while not any(e["import_id"] == imported["import_id"] for e in events):
        assert time.monotonic() < deadline, "import.finished was not published"
        events += [json.loads(n["Message"]) for n in imports.receive(wait=5)]
    (event,) = [e for e in events if e["import_id"] == imported["import_id"]]
    assert event["import_status"] == "SUCCEEDED"
    assert event["actor"] == {"type": "import", "id": imported["import_id"], "role": None}
