"""Seed-file ingest: S3 ObjectCreated (*.json) on the seed bucket -> the table.

Each object becomes one import, named by bucket, key and version (or ETag), with its report
at GET /imports/{import_id}. Problems with the file are reported there, never raised, so a bad
file cannot send the function into a retry loop; only infrastructure errors are raised, and
Lambda retries them (then sends the event to the dead-letter queue). An import that needs more
time than one invocation continues through the continuation queue, which invokes this function
again with an SQS event.
"""

import advisor_book.coldstart as coldstart  # first: no garbage collection during init

from typing import IO, Any
from urllib.parse import unquote_plus

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import ClientError

from advisor_book import config, ingest
from advisor_book.ingest import ImportJob
from advisor_book.models import ImportStatus, S3Notification, SqsNotification
from advisor_book.repository import LeaseLostError

logger = Logger()
metrics = Metrics()
settings = config.Settings.from_environment()
repo = config.repository(settings)
s3 = config.s3()


def _opener(job: ImportJob) -> ingest.OpenStream:
    def open_stream() -> IO[bytes]:
        request: dict[str, Any] = {"Bucket": job.bucket, "Key": job.key}
        if job.version_id:
            request["VersionId"] = job.version_id
        try:
            # StreamingBody has the read() that the streaming parser needs.
            body: IO[bytes] = s3.get_object(**request)["Body"]  # type: ignore[assignment]
        except ClientError as error:
            code = error.response["Error"]["Code"]
            raise ingest.FileRejectedError(f"the object cannot be read ({code})") from error
        return body

    return open_stream


def _continue_later(job: ImportJob) -> None:
    config.sqs().send_message(
        QueueUrl=settings.continuation_queue_url or "", MessageBody=job.model_dump_json()
    )


def _jobs(event: dict[str, Any], context: LambdaContext) -> list[tuple[ImportJob, str]]:
    """The imports an event asks for, each with the owner name its retries keep."""
    if event.get("Records") and event["Records"][0].get("eventSource") == "aws:sqs":
        continued = SqsNotification.model_validate(event)
        return [(ImportJob.model_validate_json(r.body), r.message_id) for r in continued.records]
    uploaded = S3Notification.model_validate(event)
    return [
        (
            ImportJob(
                bucket=r.s3.bucket.name,
                key=unquote_plus(r.s3.object.key),
                version=r.s3.object.version_id or r.s3.object.e_tag or "",
                version_id=r.s3.object.version_id,
            ),
            f"{context.aws_request_id}:{position}",
        )
        for position, r in enumerate(uploaded.records)
        if r.event_name.startswith("ObjectCreated:")
    ]


def _record(status: ImportStatus) -> None:
    logger.info(
        "import paused" if status.status == "IN_PROGRESS" else "import finished",
        extra={
            "import_id": status.import_id,
            "status": status.status,
            "records_done": status.records_done,
            "advisors_upserted": status.advisors_upserted,
            "clients_upserted": status.clients_upserted,
            "rejected": status.rejected,
        },
    )
    if status.status != "IN_PROGRESS":
        metrics.add_metric(name="RecordsRejected", unit=MetricUnit.Count, value=status.rejected)
        metrics.add_metric(
            name="RecordsUpserted",
            unit=MetricUnit.Count,
            value=status.advisors_upserted + status.clients_upserted,
        )


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    results = []
    jobs = _jobs(event, context)
    for position, (job, owner) in enumerate(jobs):
        try:
            status = ingest.run_import(
                repo,
                job,
                _opener(job),
                owner=owner,
                remaining_ms=context.get_remaining_time_in_millis,
                continue_later=_continue_later,
            )
        except LeaseLostError:
            logger.warning("another invocation took the import over", extra={"key": job.key})
            continue
        _record(status)
        results.append({"import_id": status.import_id, "status": status.status})
        if status.status == "IN_PROGRESS":
            for waiting, _ in jobs[position + 1 :]:
                _continue_later(waiting)
            break
    return {"imports": results}


coldstart.ready()
