"""Delivers S3 uploads to the functions the template triggers with them.

The emulator sends the bucket's ObjectCreated notifications to a queue; this drains it and
invokes the function with each notification as Lambda's S3 trigger would, whoever uploaded
the object. Like Lambda's asynchronous invocation, a failed event is tried three times in all.
"""

import json
import sys
import threading
from typing import TYPE_CHECKING, Any

from local import template
from local.invoke import FunctionPool

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

MAX_ATTEMPTS = 3


class BucketNotifications(threading.Thread):
    """One queue of one bucket's notifications, drained into one function."""

    def __init__(
        self,
        sqs: "SQSClient",
        queue_url: str,
        trigger: template.BucketTrigger,
        pool: FunctionPool,
    ) -> None:
        super().__init__(name=f"notifications-{trigger.bucket}", daemon=True)
        self._sqs = sqs
        self._queue_url = queue_url
        self._trigger = trigger
        self._pool = pool
        self._stopping = threading.Event()
        self.delivered = 0

    def stop(self) -> None:
        self._stopping.set()

    def _wanted(self, event: dict[str, Any]) -> bool:
        records = event.get("Records", [])
        return any(
            r.get("eventName", "").startswith("ObjectCreated:")
            and r["s3"]["object"]["key"].startswith(self._trigger.prefix)
            and r["s3"]["object"]["key"].endswith(self._trigger.suffix)
            for r in records
        )

    def run(self) -> None:
        while not self._stopping.is_set():
            try:
                response = self._sqs.receive_message(
                    QueueUrl=self._queue_url,
                    MaxNumberOfMessages=10,
                    WaitTimeSeconds=1,
                    AttributeNames=["ApproximateReceiveCount"],
                )
            except Exception as error:  # the emulator is shutting down
                if not self._stopping.is_set():
                    print(f"notification queue unavailable: {error!r}", file=sys.stderr)
                return
            for message in response.get("Messages", []):
                self._deliver(message)

    def _deliver(self, message: Any) -> None:
        event = json.loads(message["Body"])
        attempts = int(message.get("Attributes", {}).get("ApproximateReceiveCount", "1"))
        done = True
        if self._wanted(event):  # S3's s3:TestEvent and filtered-out keys are dropped
            try:
                self._pool.invoke(event)
                self.delivered += 1
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
