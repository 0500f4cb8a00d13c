"""Publisher: the table's stream of outbox records to the events topic.

Invoked by the stream's event source mapping with batches of the outbox records' insertions
only (its filter); answers with the record it stopped at, if any (ReportBatchItemFailures).
"""

import advisor_book.coldstart as coldstart  # first: no garbage collection during init

from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from advisor_book import config
from advisor_book.publisher import EventPublisher

logger = Logger()
metrics = Metrics()
settings = config.Settings.from_environment()
if settings.events_topic_arn is None:
    raise RuntimeError("EVENTS_TOPIC_ARN is not set")
publisher = EventPublisher(config.sns(), settings.events_topic_arn)


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    outcome = publisher.publish_batch(event.get("Records", []))
    for published in outcome.published:
        logger.info(
            "event published",
            extra={"event_id": published.event_id, "event_type": published.event_type},
        )
    metrics.add_metric(name="EventsPublished", unit=MetricUnit.Count, value=len(outcome.published))
    if outcome.failure is not None:
        logger.error(
            "a record could not be published; the shard is retried from it",
            extra={
                "sequence_number": outcome.failure.sequence_number,
                "reason": outcome.failure.reason,
            },
        )
        metrics.add_metric(name="EventsNotPublished", unit=MetricUnit.Count, value=1)
    return outcome.response()


coldstart.ready()
