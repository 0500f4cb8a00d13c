"""What the ingest function's events ask for: uploads to import, continuations to carry on,
and, from the import-failures queue, imports whose every attempt failed."""

import json
from typing import Any
from urllib.parse import unquote_plus

from advisor_book.ingest.importer import ImportJob, failed_invocation_reason
from advisor_book.notifications import InvocationRecord, S3Notification, SqsNotification, SqsRecord


def s3_jobs(notification: S3Notification, request_id: str) -> list[tuple[ImportJob, str]]:
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


def jobs(event: dict[str, Any], request_id: str) -> list[tuple[ImportJob, str]]:
    """The imports an event asks for, each with the owner name its retries keep: an S3 event's
    uploads, or an SQS event's continuations (named by their message ids)."""
    if is_sqs(event):
        continued = SqsNotification.model_validate(event)
        return [(ImportJob.model_validate_json(r.body), r.message_id) for r in continued.records]
    return s3_jobs(S3Notification.model_validate(event), request_id)


def is_sqs(event: dict[str, Any]) -> bool:
    return bool(event.get("Records")) and event["Records"][0].get("eventSource") == "aws:sqs"


def queue_name(url_or_arn: str) -> str:
    """The name at the end of a queue URL (…/<account>/<name>) or ARN (…:<account>:<name>)."""
    return url_or_arn.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]


def from_queue(event: dict[str, Any], queue_url: str | None) -> bool:
    """An SQS event from the queue at `queue_url`."""
    source = event["Records"][0].get("eventSourceARN", "") if is_sqs(event) else ""
    return bool(source and queue_url) and queue_name(source) == queue_name(queue_url or "")


def failed_imports(record: SqsRecord) -> list[tuple[ImportJob, str, str]]:
    """The imports a message of the failures queue reports, each with the owner name of its
    failed attempts and why they failed: a Lambda destination record (its S3 event given up
    after every retry) or a continuation moved there by the continuation queue's redrive."""
    body = json.loads(record.body)
    if "requestContext" in body:
        invocation = InvocationRecord.model_validate(body)
        reason = failed_invocation_reason(invocation)
        uploads = S3Notification.model_validate(invocation.request_payload)
        return [
            (job, owner, reason)
            for job, owner in s3_jobs(uploads, invocation.request_context.request_id)
        ]
    reason = "every attempt failed: each delivery of its continuation failed"
    return [(ImportJob.model_validate(body), record.message_id, reason)]
