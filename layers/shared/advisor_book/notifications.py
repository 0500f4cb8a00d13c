"""What the ingest function receives: S3 notifications, SQS batches, and the records Lambda
sends a function's on-failure destination. Only the fields the ingest reads."""

from datetime import datetime
from typing import Any

from pydantic import Field

from advisor_book.models import Model


class S3Bucket(Model):
    name: str


class S3Object(Model):
    key: str = Field(description="URL-encoded, as S3 sends it.")
    version_id: str | None = Field(default=None, alias="versionId")
    e_tag: str | None = Field(default=None, alias="eTag")


class S3Entity(Model):
    bucket: S3Bucket
    object: S3Object


class S3EventRecord(Model):
    event_name: str = Field(alias="eventName")
    s3: S3Entity


class S3Notification(Model):
    """Only the fields the import needs; S3's test event has no Records at all."""

    records: list[S3EventRecord] = Field(default=[], alias="Records")


class SqsRecord(Model):
    message_id: str = Field(alias="messageId")
    body: str
    event_source_arn: str = Field(default="", alias="eventSourceARN")
    attributes: dict[str, str] = Field(default_factory=dict)


class SqsNotification(Model):
    """An SQS event source batch (the ingest's continuation and failure queues)."""

    records: list[SqsRecord] = Field(alias="Records")


class InvocationRequest(Model):
    request_id: str = Field(alias="requestId")
    function_arn: str = Field(alias="functionArn")
    condition: str = Field(description="RetriesExhausted or EventAgeExceeded for a failure.")
    approximate_invoke_count: int = Field(alias="approximateInvokeCount")


class FunctionError(Model):
    """A failed invocation's answer; a runtime failure (out of memory, timed out, crashed) has
    an errorMessage and sometimes no errorType."""

    error_type: str | None = Field(default=None, alias="errorType")
    error_message: str | None = Field(default=None, alias="errorMessage")


class InvocationRecord(Model):
    """What Lambda sends the on-failure destination of an asynchronous invocation that failed
    for good: the event it was given and the answer of its last attempt."""

    version: str
    timestamp: datetime
    request_context: InvocationRequest = Field(alias="requestContext")
    request_payload: dict[str, Any] = Field(alias="requestPayload")
    response_payload: FunctionError | None = Field(default=None, alias="responsePayload")
