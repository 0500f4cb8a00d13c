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

import json
from typing import IO, Any
from urllib.parse import unquote_plus

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import ClientError

from advisor_book import config, ingest
from advisor_book.ingest import ImportJob
from advisor_book.models import (
    ImportStatus,
    InvocationRecord,
    S3Notification,
    SqsNotification,
    SqsRecord,
)
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


def _s3_jobs(notification: S3Notification, request_id: str) -> list[tuple[ImportJob, str]]:
    """The uploads an S3 event reports, each with the owner name the invocation's retries keep
    (Lambda gives every retry of an event the same request id)."""
    return [
        (
            ImportJob(
                bucket=r.s3.bucket.name,
                key=unquote_plus(r.s3.object.key),
                version=r.s3.object.version_id or r.s3.object.e_tag or "",
                version_id=r.s3.object.version_id,
            ),
            f"{request_id}:{position}",
        )
        for position, r in enumerate(notification.records)
        if r.event_name.startswith("ObjectCreated:")
    ]


def _jobs(event: dict[str, Any], context: LambdaContext) -> list[tuple[ImportJob, str]]:
    """The imports an event asks for, each with the owner name its retries keep."""
    if _is_sqs(event):
        continued = SqsNotification.model_validate(event)
        return [(ImportJob.model_validate_json(r.body), r.message_id) for r in continued.records]
    return _s3_jobs(S3Notification.model_validate(event), context.aws_request_id)


def _is_sqs(event: dict[str, Any]) -> bool:
    return bool(event.get("Records")) and event["Records"][0].get("eventSource") == "aws:sqs"


def _queue_name(url_or_arn: str) -> str:
    """The name at the end of a queue URL (…/<account>/<name>) or ARN (…:<account>:<name>)."""
    return url_or_arn.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]


def _reports_failures(event: dict[str, Any]) -> bool:
    """An SQS event from the import-failures queue."""
    source = event["Records"][0].get("eventSourceARN", "") if _is_sqs(event) else ""
    failures = settings.failures_queue_url
    return bool(source and failures) and _queue_name(source) == _queue_name(failures or "")


def _failed_imports(record: SqsRecord) -> list[tuple[ImportJob, str, str]]:
    """The imports a message of the failures queue reports, each with the owner name of its
    failed attempts and why they failed: a Lambda destination record (its S3 event given up
    after every retry) or a continuation moved there by the continuation queue's redrive."""
    body = json.loads(record.body)
    if "requestContext" in body:
        invocation = InvocationRecord.model_validate(body)
        reason = ingest.failed_invocation_reason(invocation)
        uploads = S3Notification.model_validate(invocation.request_payload)
        return [
            (job, owner, reason)
            for job, owner in _s3_jobs(uploads, invocation.request_context.request_id)
        ]
    reason = "every attempt failed: each delivery of its continuation failed"
    return [(ImportJob.model_validate(body), record.message_id, reason)]


def _record_failures(notification: SqsNotification) -> dict[str, Any]:
    results = []
    for record in notification.records:
        for job, owner, reason in _failed_imports(record):
            status = ingest.fail_import(repo, job, failed_owners=[owner], reason=reason)
            logger.error(
                "an event of the import failed for good",
                extra={"import_id": job.import_id, "status": status.status},
            )
            results.append({"import_id": job.import_id, "status": status.status})
        config.sqs().send_message(
            QueueUrl=settings.dead_letter_queue_url or "", MessageBody=record.body
        )
    return {"imports": results}


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
    if _reports_failures(event):
        return _record_failures(SqsNotification.model_validate(event))
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
