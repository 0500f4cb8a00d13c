"""Delivers queued events to the functions the template triggers with them.

A table's stream mapping is read by local.stack.streams; `connect_triggers` starts those too.
Two kinds of queued trigger: a bucket's ObjectCreated notifications, which the emulator sends to a
queue this stack creates for them, and an SQS event source mapping declared in the template.
Each queue is drained into its function as Lambda would invoke it (the S3 notification as is;
SQS messages as an SQS event), and a failed event ends as it would in AWS:

- an S3 notification is an asynchronous invocation: tried again with the same request id up to
  the function's MaximumRetryAttempts, then the record Lambda writes of the failure is sent to
  its on-failure destination (EventInvokeConfig), and the event is dropped;
- an SQS message stays on its queue to be received again, until the queue's redrive policy
  moves it to its dead-letter queue.

Retries come at once here, where Lambda waits a minute or two between the tries of an event
and SQS the queue's visibility timeout. `connect_triggers` makes the queues and their drains.
"""

import json
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import boto3

from local.harness import template
from local.harness.iam import RoleAudit
from local.harness.runtime import function_arn
from local.stack.instances import FunctionPool, InvocationError
from local.stack.streams import StreamReader

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

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


@dataclass(frozen=True)
class AsyncInvocation:
    """How Lambda treats the events of a queue it was handed asynchronously: `attempts` tries,
    then a failure record to the `on_failure` queue (URL), if there is one."""

    function_arn: str
    attempts: int
    on_failure: str | None


def failure_record(
    event: dict[str, Any], request_id: str, function_arn: str, attempts: int, error: InvocationError
) -> dict[str, Any]:
    """The record Lambda sends an on-failure destination when an asynchronous invocation failed
    its every try (the invocation record of AWS's "Capturing records of Lambda asynchronous
    invocations")."""
    return {
        "version": "1.0",
        "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "requestContext": {
            "requestId": request_id,
            "functionArn": f"{function_arn}:$LATEST",
            "condition": "RetriesExhausted",
            "approximateInvokeCount": attempts,
        },
        "requestPayload": event,
        "responseContext": {
            "statusCode": 200,
            "executedVersion": "$LATEST",
            "functionError": "Unhandled",
        },
        "responsePayload": {
            "errorMessage": error.error_message,
            "errorType": error.error_type,
            "requestId": request_id,
            "stackTrace": [],
        },
    }


class QueueDrain(threading.Thread):
    """One queue drained into one function. With `invocation`, the queue stands for Lambda's
    own queue of asynchronous events; without, it is an SQS event source."""

    def __init__(
        self,
        sqs: "SQSClient",
        queue_url: str,
        pool: FunctionPool,
        to_event: ToEvent,
        invocation: AsyncInvocation | None = None,
    ) -> None:
        super().__init__(name=f"drain-{queue_url.rsplit('/', 1)[-1]}", daemon=True)
        self._sqs = sqs
        self._queue_url = queue_url
        self._pool = pool
        self._to_event = to_event
        self._invocation = invocation
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
        if event is not None:
            try:
                self._pool.invoke(event, request_id=message["MessageId"])
            except InvocationError as error:
                print(
                    f"{self._pool.function.logical_id} failed on attempt {attempts}: {error}",
                    file=sys.stderr,
                    flush=True,
                )
                if self._invocation is None or attempts < self._invocation.attempts:
                    self._sqs.change_message_visibility(
                        QueueUrl=self._queue_url,
                        ReceiptHandle=message["ReceiptHandle"],
                        VisibilityTimeout=0,
                    )
                    return
                if self._invocation.on_failure is not None:
                    record = failure_record(
                        event, message["MessageId"], self._invocation.function_arn, attempts, error
                    )
                    self._sqs.send_message(
                        QueueUrl=self._invocation.on_failure, MessageBody=json.dumps(record)
                    )
        self._sqs.delete_message(QueueUrl=self._queue_url, ReceiptHandle=message["ReceiptHandle"])


Trigger = QueueDrain | StreamReader


def connect_triggers(refs: dict[str, str], pools: dict[str, FunctionPool]) -> list[Trigger]:
    """Drain each trigger's queue into its function: the template's SQS event source mappings,
    and a queue made here for each S3-triggered bucket's notifications; and read each table
    stream mapping's stream into its function."""
    return [*queue_drains(refs, pools), *bucket_drains(refs, pools), *stream_readers(refs, pools)]


def stream_readers(refs: dict[str, str], pools: dict[str, FunctionPool]) -> list[StreamReader]:
    """The template's DynamoDB stream event source mappings, each reading as its function's
    role lets it."""
    audit = RoleAudit.of_local_stack(refs)
    return [
        StreamReader(trigger, refs, pools[trigger.function].invoke, audit)
        for trigger in template.stream_triggers()
    ]


def _queue_arn(sqs: "SQSClient", queue_url: str) -> str:
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])
    return attributes["Attributes"]["QueueArn"]


def queue_drains(refs: dict[str, str], pools: dict[str, FunctionPool]) -> list[QueueDrain]:
    """The template's SQS event source mappings, each queue drained into its function."""
    sqs = boto3.client("sqs")
    return [
        QueueDrain(
            sqs,
            refs[mapping.queue],
            pools[mapping.function],
            sqs_event(_queue_arn(sqs, refs[mapping.queue])),
        )
        for mapping in template.queue_triggers()
    ]


def bucket_drains(refs: dict[str, str], pools: dict[str, FunctionPool]) -> list[QueueDrain]:
    """For each S3-triggered function, its bucket's notifications sent to a queue made here and
    drained into the function as Lambda invokes it with them: asynchronously, with the
    function's retries and on-failure destination."""
    sqs = boto3.client("sqs")
    s3 = boto3.client("s3")
    drains = []
    for function in template.functions().values():
        failures = function.async_failures
        invocation = AsyncInvocation(
            function_arn=function_arn(function.logical_id),
            attempts=failures.retries + 1,
            on_failure=refs[failures.on_failure] if failures.on_failure else None,
        )
        for trigger in function.bucket_triggers:
            bucket = refs[trigger.bucket]
            url = sqs.create_queue(
                QueueName=f"{bucket}-{function.logical_id}",
                Attributes={"VisibilityTimeout": str(function.timeout_seconds)},
            )["QueueUrl"]
            rules = [{"Name": "prefix", "Value": trigger.prefix}] if trigger.prefix else []
            rules += [{"Name": "suffix", "Value": trigger.suffix}] if trigger.suffix else []
            configuration: Any = {"QueueArn": _queue_arn(sqs, url), "Events": list(trigger.events)}
            if rules:
                configuration["Filter"] = {"Key": {"FilterRules": rules}}
            s3.put_bucket_notification_configuration(
                Bucket=bucket,
                NotificationConfiguration={"QueueConfigurations": [configuration]},
            )
            drains.append(
                QueueDrain(
                    sqs, url, pools[function.logical_id], s3_notification(trigger), invocation
                )
            )
    return drains
