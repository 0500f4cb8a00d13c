"""Reads a table's DynamoDB stream into a function, as a Lambda event source mapping does.

For each stream mapping of the template (`template.stream_triggers`), a `StreamReader` polls
the emulator's stream from the mapping's starting position, keeps the records one of its
filters matches (`EventFilter`: the part of Lambda's filter syntax the template uses; a pattern
it does not implement is refused when the reader is made), and invokes the function with
batches of at most BatchSize records, in stream order:

- a batch the function answers with `batchItemFailures` is retried from the first record it
  names (the whole batch if it names one not in the batch), so the records before it are not
  sent again;
- a batch the function fails on is split in two, each half on its own, when the mapping says
  BisectBatchOnFunctionError; otherwise retried whole;
- a batch still failing after MaximumRetryAttempts retries is described in the on-failure queue
  (Lambda's record of a stream batch it gave up on) and skipped.

The reader reads as the function's role would let Lambda: each stream read and the message to
the on-failure queue are checked against the role (local.harness.iam) and refused as AWS would.
Retries come at once here, where Lambda backs off between them; an empty stream is polled again
every `POLL_SECONDS`.
"""

import json
import sys
import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import boto3

from local.harness import template
from local.harness.iam import RoleAudit
from local.harness.runtime import function_arn
from local.stack.instances import InvocationError

if TYPE_CHECKING:
    from mypy_boto3_dynamodbstreams import DynamoDBStreamsClient
    from mypy_boto3_sqs import SQSClient

POLL_SECONDS = 0.25
Record = dict[str, Any]
Invoke = Callable[[dict[str, Any]], Any]


class EventFilter:
    """One of Lambda's event patterns, of the syntax the template uses: nested objects whose
    leaves are lists of exact strings, `{"exists": true}` or `{"exists": false}`. Anything else
    raises ValueError when the filter is made: a pattern matched wrongly would pass records
    Lambda drops, or drop records Lambda passes."""

    def __init__(self, pattern: Mapping[str, Any]) -> None:
        _check_pattern(pattern, "")
        self._pattern = pattern

    def matches(self, record: Mapping[str, Any]) -> bool:
        return _matches(self._pattern, record)


def _check_pattern(pattern: Mapping[str, Any], path: str) -> None:
    if not isinstance(pattern, Mapping) or not pattern:
        raise ValueError(f"filter pattern at {path or 'the top'}: an object with keys expected")
    for key, value in pattern.items():
        where = f"{path}.{key}" if path else key
        if isinstance(value, Mapping):
            _check_pattern(value, where)
        elif isinstance(value, list) and value:
            for rule in value:
                if isinstance(rule, str):
                    continue
                if (
                    isinstance(rule, Mapping)
                    and set(rule) == {"exists"}
                    and isinstance(rule["exists"], bool)
                ):
                    continue
                raise ValueError(
                    f"filter pattern at {where}: {json.dumps(rule)} is not implemented locally "
                    "(only exact strings and exists)"
                )
        else:
            raise ValueError(f"filter pattern at {where}: a list of rules or an object expected")


def _matches(pattern: Mapping[str, Any], record: Mapping[str, Any]) -> bool:
    for key, rules in pattern.items():
        present = key in record
        value = record.get(key)
        if isinstance(rules, Mapping):
            if not isinstance(value, Mapping) or not _matches(rules, value):
                return False
            continue
        if not any(_rule_matches(rule, present, value) for rule in rules):
            return False
    return True


def _rule_matches(rule: Any, present: bool, value: Any) -> bool:
    if isinstance(rule, str):
        return present and value == rule
    return bool(rule["exists"]) == present


def lambda_record(record: Mapping[str, Any], stream_arn: str) -> Record:
    """A GetRecords record as Lambda hands it to a function: with its stream's ARN, and its
    creation time in epoch seconds."""
    dynamodb = dict(record["dynamodb"])
    created = dynamodb.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):
        dynamodb["ApproximateCreationDateTime"] = int(created.timestamp())
    return {**record, "dynamodb": dynamodb, "eventSourceARN": stream_arn}


def _sequence(record: Mapping[str, Any]) -> str:
    return str(record["dynamodb"]["SequenceNumber"])


def _retry_from(batch: Sequence[Record], answer: Any) -> int | None:
    """Where a batch is retried from, after the function's answer: None when every record was
    processed; the first failed record's position; 0 (all of it) for an answer Lambda reads as
    a failure of the whole batch (an item identifier that is empty or not in the batch)."""
    if not isinstance(answer, Mapping):
        return None
    failures = answer.get("batchItemFailures")
    if not failures:
        return None
    positions = {_sequence(record): n for n, record in enumerate(batch)}
    found = []
    for failure in failures:
        identifier = failure.get("itemIdentifier") if isinstance(failure, Mapping) else None
        if identifier not in positions:
            return 0
        found.append(positions[identifier])
    return min(found)


class BatchDelivery:
    """How one mapping hands batches to its function: retries, bisection, and the on-failure
    record. Apart from the polling so that it can be driven directly."""

    def __init__(
        self,
        trigger: template.StreamTrigger,
        stream_arn: str,
        invoke: Invoke,
        give_up: Callable[[dict[str, Any]], None],
    ) -> None:
        self._trigger = trigger
        self._stream_arn = stream_arn
        self._invoke = invoke
        self._give_up = give_up

    def deliver(self, batch: Sequence[Record], shard: str = "") -> None:
        """Invoke the function with `batch` (of the `shard`) until every record is processed,
        or its retries are spent."""
        remaining = list(batch)
        retries = 0
        while remaining:
            try:
                answer = self._invoke({"Records": remaining})
            except InvocationError as error:
                print(
                    f"{self._trigger.function} failed on a stream batch: {error}",
                    file=sys.stderr,
                    flush=True,
                )
                if self._trigger.bisect_on_error and len(remaining) > 1:
                    half = len(remaining) // 2
                    self.deliver(remaining[:half], shard)
                    self.deliver(remaining[half:], shard)
                    return
                start: int | None = 0
            else:
                start = (
                    _retry_from(remaining, answer) if self._trigger.reports_item_failures else None
                )
            if start is None:
                return
            remaining = remaining[start:]
            retries += 1
            if 0 <= self._trigger.max_retries < retries:
                self._give_up(self.failure_record(remaining, retries, shard))
                return

    def failure_record(
        self, batch: Sequence[Record], attempts: int, shard: str = ""
    ) -> dict[str, Any]:
        """What Lambda sends a stream mapping's on-failure destination for a batch it gave up
        on: where the batch is in the stream, never the records themselves."""
        first, last = batch[0]["dynamodb"], batch[-1]["dynamodb"]
        return {
            "requestContext": {
                "requestId": str(uuid.uuid4()),
                "functionArn": f"{function_arn(self._trigger.function)}:$LATEST",
                "condition": "RetryAttemptsExhausted",
                "approximateInvokeCount": attempts,
            },
            "responseContext": {
                "statusCode": 200,
                "executedVersion": "$LATEST",
                "functionError": "Unhandled",
            },
            "version": "1.0",
            "timestamp": datetime.now(UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "DDBStreamBatchInfo": {
                "shardId": shard,
                "startSequenceNumber": first["SequenceNumber"],
                "endSequenceNumber": last["SequenceNumber"],
                "approximateArrivalOfFirstRecord": first.get("ApproximateCreationDateTime"),
                "approximateArrivalOfLastRecord": last.get("ApproximateCreationDateTime"),
                "batchSize": len(batch),
                "streamArn": self._stream_arn,
            },
        }


class StreamReader(threading.Thread):
    """One stream mapping: the table's stream polled, filtered and delivered in batches."""

    def __init__(
        self,
        trigger: template.StreamTrigger,
        refs: Mapping[str, str],
        invoke: Invoke,
        audit: RoleAudit,
    ) -> None:
        super().__init__(name=f"stream-{trigger.name}", daemon=True)
        self._trigger = trigger
        self._filters = [EventFilter(pattern) for pattern in trigger.filters]
        self._audit = audit
        self._streams: DynamoDBStreamsClient = boto3.client("dynamodbstreams")
        self._sqs: SQSClient = boto3.client("sqs")
        table = boto3.client("dynamodb").describe_table(TableName=refs[trigger.table])["Table"]
        if "LatestStreamArn" not in table:
            raise ValueError(f"{trigger.table} has no stream for {trigger.name} to read")
        self.stream_arn: str = table["LatestStreamArn"]
        self._on_failure = refs[trigger.on_failure] if trigger.on_failure else None
        self._delivery = BatchDelivery(trigger, self.stream_arn, invoke, self._give_up)
        self._stopping = threading.Event()
        self._iterators = {
            shard: self._call(
                "GetShardIterator",
                self._streams.get_shard_iterator,
                {
                    "StreamArn": self.stream_arn,
                    "ShardId": shard,
                    "ShardIteratorType": trigger.starting_position,
                },
            )["ShardIterator"]
            for shard in self._shards()
        }

    def _call(self, operation: str, call: Callable[..., Any], params: dict[str, Any]) -> Any:
        """A request Lambda makes with the function's role: refused as AWS would unless the role
        allows it."""
        service = "sqs" if operation == "SendMessage" else "dynamodbstreams"
        with self._audit.acting_as(self._trigger.function):
            self._audit.check(service, operation, params)
        return call(**params)

    def _shards(self) -> list[str]:
        described = self._call(
            "DescribeStream", self._streams.describe_stream, {"StreamArn": self.stream_arn}
        )
        return [shard["ShardId"] for shard in described["StreamDescription"]["Shards"]]

    def stop(self) -> None:
        self._stopping.set()

    def run(self) -> None:
        while not self._stopping.is_set():
            try:
                read = self.poll()
            except Exception as error:  # the emulator is shutting down
                if not self._stopping.is_set():
                    print(f"stream unavailable: {error!r}", file=sys.stderr, flush=True)
                return
            if read == 0 and self._stopping.wait(POLL_SECONDS):
                return

    def poll(self) -> int:
        """Read each shard once and deliver what its filters keep; how many records were read."""
        read = 0
        for shard, iterator in list(self._iterators.items()):
            response = self._call(
                "GetRecords", self._streams.get_records, {"ShardIterator": iterator}
            )
            self._iterators[shard] = response["NextShardIterator"]
            records = [lambda_record(r, self.stream_arn) for r in response["Records"]]
            read += len(records)
            kept = [r for r in records if self._kept(r)]
            for start in range(0, len(kept), self._trigger.batch_size):
                self._delivery.deliver(kept[start : start + self._trigger.batch_size], shard)
        return read

    def _kept(self, record: Record) -> bool:
        return not self._filters or any(f.matches(record) for f in self._filters)

    def _give_up(self, failure: dict[str, Any]) -> None:
        print(
            f"{self._trigger.function} gave up on a stream batch "
            f"{json.dumps(failure['DDBStreamBatchInfo'])}",
            file=sys.stderr,
            flush=True,
        )
        if self._on_failure is not None:
            self._call(
                "SendMessage",
                self._sqs.send_message,
                {"QueueUrl": self._on_failure, "MessageBody": json.dumps(failure)},
            )
