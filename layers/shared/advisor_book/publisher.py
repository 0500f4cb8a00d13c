"""Publishes the outbox records the table's stream carries to the events topic, in stream order.

Lambda hands the publisher batches of stream records that its event source mapping's filter
let through: insertions of items that carry `keys.EVENT_TYPE`. Each becomes one message on the
FIFO events topic, grouped by client (or import) and deduplicated by the event's id, so a
record delivered again within the topic's deduplication window is not published twice.

At the first record that cannot be published the batch stops and reports that record alone
(`batchItemFailures`): Lambda retries the shard from it, so the records before it are not
published again, and the records after it are published after it, in their order.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError
from pydantic import ValidationError

from advisor_book.events import ChangeEvent
from advisor_book.store.core import from_wire

if TYPE_CHECKING:
    from mypy_boto3_sns import SNSClient
    from mypy_boto3_sns.type_defs import MessageAttributeValueTypeDef

StreamRecord = Mapping[str, Any]


def event_of(record: StreamRecord) -> ChangeEvent:
    """The event an outbox record's new image holds (the item's other attributes ignored)."""
    return ChangeEvent.from_item(from_wire(record["dynamodb"]["NewImage"]))


def message_attributes(event: ChangeEvent) -> dict[str, "MessageAttributeValueTypeDef"]:
    return {
        name: {"DataType": "String", "StringValue": value}
        for name, value in event.attributes().items()
    }


@dataclass(frozen=True)
class Failure:
    """The record a batch stopped at, and why."""

    sequence_number: str
    reason: str


@dataclass(frozen=True)
class BatchOutcome:
    published: list[ChangeEvent]
    failure: Failure | None

    def response(self) -> dict[str, Any]:
        """What the function answers Lambda (ReportBatchItemFailures)."""
        failed = [] if self.failure is None else [self.failure.sequence_number]
        return {"batchItemFailures": [{"itemIdentifier": sequence} for sequence in failed]}


class EventPublisher:
    def __init__(self, sns: "SNSClient", topic_arn: str) -> None:
        self._sns = sns
        self._topic_arn = topic_arn

    def publish(self, event: ChangeEvent) -> None:
        self._sns.publish(
            TopicArn=self._topic_arn,
            Message=event.model_dump_json(),
            MessageGroupId=event.ordering_key,
            MessageDeduplicationId=event.event_id,
            MessageAttributes=message_attributes(event),
        )

    def publish_batch(self, records: Sequence[StreamRecord]) -> BatchOutcome:
        """Publish each record's event in order, up to the first that cannot be published."""
        published: list[ChangeEvent] = []
        for record in records:
            sequence = str(record["dynamodb"]["SequenceNumber"])
            try:
                event = event_of(record)
                self.publish(event)
            except (KeyError, TypeError, ValueError, ValidationError) as error:
                return BatchOutcome(published, Failure(sequence, f"not an event: {error}"))
            except (ClientError, BotoCoreError) as error:
                return BatchOutcome(published, Failure(sequence, f"not published: {error}"))
            published.append(event)
        return BatchOutcome(published, None)
