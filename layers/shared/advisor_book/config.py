"""Configuration and AWS clients, built once per cold start and shared by the warm calls."""

import os
from functools import cache
from typing import TYPE_CHECKING, cast

import botocore.session
from botocore.config import Config
from pydantic import BaseModel, field_validator

from advisor_book.cursors import CursorCodec
from advisor_book.store.core import Table

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_secretsmanager import SecretsManagerClient
    from mypy_boto3_sns import SNSClient
    from mypy_boto3_sqs import SQSClient


class Settings(BaseModel):
    """What the template gives every function through its environment."""

    table_name: str
    cursor_secret_arn: str | None = None
    continuation_queue_url: str | None = None
    failures_queue_url: str | None = None
    dead_letter_queue_url: str | None = None
    events_topic_arn: str | None = None

    @field_validator("continuation_queue_url", "failures_queue_url", "dead_letter_queue_url")
    @classmethod
    def _queue_url(cls, value: str | None) -> str | None:
        """SQS calls take a queue's URL. A bare name (what `sam local invoke` makes of a queue's
        `!Ref` without env.json) fails here, at once, not when an import first needs it."""
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError(
                f"{value!r} is not a queue URL; under sam local invoke, pass --env-vars "
                "env.json (make env-json)"
            )
        return value

    @classmethod
    def from_environment(cls) -> "Settings":
        return cls(
            table_name=os.environ["TABLE_NAME"],
            cursor_secret_arn=os.environ.get("CURSOR_SECRET_ARN"),
            continuation_queue_url=os.environ.get("CONTINUATION_QUEUE_URL"),
            failures_queue_url=os.environ.get("IMPORT_FAILURES_QUEUE_URL"),
            dead_letter_queue_url=os.environ.get("DEAD_LETTER_QUEUE_URL"),
            events_topic_arn=os.environ.get("EVENTS_TOPIC_ARN"),
        )


@cache
def session() -> botocore.session.Session:
    """The process's one botocore session: every client comes from it.

    botocore, not boto3: boto3 adds nothing these functions use (resources, S3 transfers),
    and importing it lengthens every cold start (docs/performance.md).
    """
    return botocore.session.get_session()


def dynamodb() -> "DynamoDBClient":
    """Built once per cold start by the module that needs it (it keeps the table)."""
    # Room for the ingest's writer threads next to the main one.
    client = session().create_client("dynamodb", config=Config(max_pool_connections=16))
    return cast("DynamoDBClient", client)


def s3() -> "S3Client":
    return cast("S3Client", session().create_client("s3"))


@cache
def sqs() -> "SQSClient":
    """Created on first use: only an import that runs out of time, or that failed, needs it."""
    return cast("SQSClient", session().create_client("sqs"))


def sns() -> "SNSClient":
    return cast("SNSClient", session().create_client("sns"))


def secrets_manager() -> "SecretsManagerClient":
    return cast("SecretsManagerClient", session().create_client("secretsmanager"))


def table(settings: Settings) -> Table:
    """The book's table, for the stores a function builds on it."""
    return Table(dynamodb(), settings.table_name)


def cursor_codec(settings: Settings) -> CursorCodec:
    """Cursors signed with the deployment's secret, fetched on the first paginated call only."""

    def load_key() -> bytes:
        if settings.cursor_secret_arn is None:
            raise RuntimeError("CURSOR_SECRET_ARN is not set")
        return (
            secrets_manager()
            .get_secret_value(SecretId=settings.cursor_secret_arn)["SecretString"]
            .encode()
        )

    return CursorCodec(load_key)
