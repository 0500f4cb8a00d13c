"""Configuration and AWS clients, built once per cold start and shared by the warm calls."""

import os
from functools import cache
from typing import TYPE_CHECKING

import boto3
from botocore.config import Config
from pydantic import BaseModel

from advisor_book.cursors import CursorCodec
from advisor_book.repository import BookRepository

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_sqs import SQSClient


class Settings(BaseModel):
    """What the template gives every function through its environment."""

    table_name: str
    cursor_secret_arn: str | None = None
    continuation_queue_url: str | None = None

    @classmethod
    def from_environment(cls) -> "Settings":
        return cls(
            table_name=os.environ["TABLE_NAME"],
            cursor_secret_arn=os.environ.get("CURSOR_SECRET_ARN"),
            continuation_queue_url=os.environ.get("CONTINUATION_QUEUE_URL"),
        )


def dynamodb() -> "DynamoDBClient":
    """Built once per cold start by the module that needs it (it keeps the repository)."""
    # Room for the ingest's writer threads next to the main one.
    return boto3.client("dynamodb", config=Config(max_pool_connections=16))


@cache
def sqs() -> "SQSClient":
    """Created on first use: only an import that runs out of time needs it."""
    return boto3.client("sqs")


def repository(settings: Settings) -> BookRepository:
    return BookRepository(dynamodb(), settings.table_name)


def cursor_codec(settings: Settings) -> CursorCodec:
    """Cursors signed with the deployment's secret, fetched on the first paginated call only."""

    def load_key() -> bytes:
        if settings.cursor_secret_arn is None:
            raise RuntimeError("CURSOR_SECRET_ARN is not set")
        secrets = boto3.client("secretsmanager")
        return secrets.get_secret_value(SecretId=settings.cursor_secret_arn)[
            "SecretString"
        ].encode()

    return CursorCodec(load_key)
