"""Seed-file ingest: S3 ObjectCreated (*.json) on the seed bucket -> the table.

Each object becomes one import, named by bucket, key and version (or ETag), with its report
at GET /imports/{import_id}. Problems with the file are reported there, never raised, so a bad
file cannot send the function into a retry loop; only infrastructure errors are raised, and
Lambda retries them. An import that needs more time than one invocation continues through the
continuation queue, which invokes this function again with an SQS event.

An import whose every attempt failed (out of memory, out of time, a crash) ends FAILED with the
reason: the S3 event Lambda gave up on (the function's on-failure destination) and the
continuation SQS gave up on (its redrive policy) both come to the import-failures queue, whose
SQS events mark the import and then pass the message on to the dead-letter queue, where
operators find every failed event.
"""

import advisor_book.coldstart as coldstart  # first: no garbage collection during init

from typing import IO, Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import ClientError

from advisor_book import config
from advisor_book.import_reports import ImportStatus
from advisor_book.imports import LeaseLostError
from advisor_book.ingest import events
from advisor_book.ingest.importer import ImportJob, OpenStream, fail_import, run_import
from advisor_book.ingest.reader import FileRejectedError
from advisor_book.notifications import SqsNotification
from advisor_book.store.imports import ImportStore
from advisor_book.store.ingest import IngestStore

logger = Logger()
metrics = Metrics()
settings = config.Settings.from_environment()
table = config.table(settings)
imports = ImportStore(table)
book = IngestStore(table)
s3 = config.s3()


def _opener(job: ImportJob) -> OpenStream:
    def open_stream() -> IO[bytes]:
        request: dict[str, Any] = {"Bucket": job.bucket, "Key": job.key}
        if job.version_id:
            request["VersionId"] = job.version_id
        try:
            # StreamingBody has the read() that the streaming parser needs.
            body: IO[bytes] = s3.get_object(**request)["Body"]  # type: ignore[assignment]
        except ClientError as error:
            code = error.response["Error"]["Code"]
            raise FileRejectedError(f"the object cannot be read ({code})") from error
        return body

    return open_stream


def _continue_later(job: ImportJob) -> None:
    config.sqs().send_message(
        QueueUrl=settings.continuation_queue_url or "", MessageBody=job.model_dump_json()
    )


def _record_failures(notification: SqsNotification) -> dict[str, Any]:
    """Mark each reported import FAILED, then pass the message on to the dead-letter queue."""
    results = []
    for record in notification.records:
        for job, owner, reason in events.failed_imports(record):
            status = fail_import(imports, job, failed_owners=[owner], reason=reason)
            logger.error(
                "an event of the import failed for good",
                extra={"import_id": job.import_id, "status": status.status},
            )
            results.append({"import_id": job.import_id, "status": status.status})
        config.sqs().send_message(
            QueueUrl=settings.dead_letter_queue_url or "", MessageBody=record.body
        )
    return {"imports": results}


def _counts(status: ImportStatus) -> dict[str, Any]:
    """What the logs say of an import: its id, status, counts and rate; never anything a
    record holds (names, values) nor a quote of the file."""
    return {
        "import_id": status.import_id,
        "status": status.status,
        "records_done": status.records_done,
        "records_total": status.records_total,
        "records_per_second": status.records_per_second,
        "advisors_upserted": status.advisors_upserted,
        "clients_upserted": status.clients_upserted,
        "rejected": status.rejected,
    }


def _log_checkpoint(status: ImportStatus) -> None:
    logger.info("import checkpoint", extra=_counts(status))


def _record(status: ImportStatus) -> None:
    logger.info(
        "import paused" if status.status == "IN_PROGRESS" else "import finished",
        extra=_counts(status),
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
    if events.from_queue(event, settings.failures_queue_url):
        return _record_failures(SqsNotification.model_validate(event))
    results = []
    jobs = events.jobs(event, context.aws_request_id)
    for position, (job, owner) in enumerate(jobs):
        try:
            status = run_import(
                imports,
                book,
                job,
                _opener(job),
                owner=owner,
                remaining_ms=context.get_remaining_time_in_millis,
                continue_later=_continue_later,
                on_checkpoint=_log_checkpoint,
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
