"""Delivers queued events to the functions the template triggers with them.

Two kinds of trigger: a bucket's ObjectCreated notifications, which the emulator sends to a
queue this stack creates for them, and an SQS event source mapping declared in the template.
Each queue is drained into its function as Lambda would invoke it (the S3 notification as is;
SQS messages as an SQS event). A failed event is tried three times in all, with the same
request id each time, as Lambda's retries keep it.
"""

import json
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from local import template
from local.invoke import FunctionPool

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

MAX_ATTEMPTS = 3
ToEvent = Callable[[dict[str, Any]], dict[str, Any] | None]


def s3_notification(trigger: template.BucketTrigger) -> ToEvent:
    """The notification itself, if it is an upload that matches the trigger's key filter."""

    def to_event(message: dict[str, Any]) -> dict[str, Any] | None:
        event: dict[str, Any] = json.loads(message["Body"])
        wanted = any(
            r.get("eventName", "").startswith("ObjectCreated:")
            and r["s3"]["object"]["key"].startswith(trigger.prefix)
            and r["s3"]["object"]["key"].endswith(trigger.suffix)
            for r in event.get("Records", [])
        )
        return event if wanted else None  # S3's s3:TestEvent has no Records

    return to_event


def sqs_event(queue_arn: str) -> ToEvent:
    """An SQS event source batch of one message."""

    def to_event(message: dict[str, Any]) -> dict[str, Any]:
        return {
            "Records": [
                {
                    "messageId": message["MessageId"],
                    "receiptHandle": message["ReceiptHandle"],
                    "body": message["Body"],
                    "attributes": message.get("Attributes", {}),
                    "messageAttributes": {},
                    "md5OfBody": message.get("MD5OfBody", ""),
                    "eventSource": "aws:sqs",
                    "eventSourceARN": queue_arn,
                    "awsRegion": "us-east-1",
                }
            ]
        }

    return to_event


class QueueDrain(threading.Thread):
    """One queue drained into one function."""

    def __init__(
        self, sqs: "SQSClient", queue_url: str, pool: FunctionPool, to_event: ToEvent
    ) -> None:
        super().__init__(name=f"drain-{queue_url.rsplit('/', 1)[-1]}", daemon=True)
        self._sqs = sqs
        self._queue_url = queue_url
        self._pool = pool
        self._to_event = to_event
        self._stopping = threading.Event()

    def stop(self) -> None:
        self._stopping.set()

    def run(self) -> None:
        while not self._stopping.is_set():
            try:
                response = self._sqs.receive_message(
                    QueueUrl=self._queue_url,
                    MaxNumberOfMessages=1,
                    WaitTimeSeconds=1,
                    AttributeNames=["ApproximateReceiveCount"],
                )
            except Exception as error:  # the emulator is shutting down
                if not self._stopping.is_set():
                    print(f"queue unavailable: {error!r}", file=sys.stderr, flush=True)
                return
            for message in response.get("Messages", []):
                self._deliver(dict(message))

    def _deliver(self, message: dict[str, Any]) -> None:
        attempts = int(message.get("Attributes", {}).get("ApproximateReceiveCount", "1"))
        event = self._to_event(message)
        done = True
        if event is not None:
            try:
                self._pool.invoke(event, request_id=message["MessageId"])
            except Exception as error:
                print(
                    f"{self._pool.function.logical_id} failed on attempt {attempts}: {error!r}",
                    file=sys.stderr,
                    flush=True,
                )
                done = attempts >= MAX_ATTEMPTS
        if done:
            self._sqs.delete_message(
                QueueUrl=self._queue_url, ReceiptHandle=message["ReceiptHandle"]
            )
