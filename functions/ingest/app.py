"""Seed-file ingest: S3 ObjectCreated (*.json) on the seed bucket -> the table.

Each object becomes one import, named by bucket, key and version (or ETag), with its report
at GET /imports/{import_id}. Problems with the file are reported there, never raised, so a
bad file cannot send the function into a retry loop; only infrastructure errors are raised.
"""

from typing import IO, TYPE_CHECKING, Any
from urllib.parse import unquote_plus

import boto3
from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import ClientError

from advisor_book import config, ingest
from advisor_book.models import S3Notification

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

logger = Logger()
metrics = Metrics()
repo = config.repository(config.Settings.from_environment())
s3: "S3Client" = boto3.client("s3")


def _opener(bucket: str, key: str, version_id: str | None) -> Any:
    def open_stream() -> IO[bytes]:
        try:
            request: dict[str, Any] = {"Bucket": bucket, "Key": key}
            if version_id:
                request["VersionId"] = version_id
            # StreamingBody has the read() that the streaming parser needs.
            body: IO[bytes] = s3.get_object(**request)["Body"]  # type: ignore[assignment]
            return body
        except ClientError as error:
            code = error.response["Error"]["Code"]
            raise ingest.FileRejectedError(f"the object cannot be read ({code})") from error

    return open_stream


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    notification = S3Notification.model_validate(event)
    results = []
    for record in notification.records:
        if not record.event_name.startswith("ObjectCreated:"):
            continue
        bucket = record.s3.bucket.name
        key = unquote_plus(record.s3.object.key)
        version = record.s3.object.version_id or record.s3.object.e_tag or "unversioned"
        status = ingest.import_object(
            repo, bucket, key, version, _opener(bucket, key, record.s3.object.version_id)
        )
        logger.info(
            "import finished",
            extra={
                "import_id": status.import_id,
                "status": status.status,
                "advisors_upserted": status.advisors_upserted,
                "clients_upserted": status.clients_upserted,
                "rejected": status.rejected,
            },
        )
        metrics.add_metric(name="RecordsRejected", unit=MetricUnit.Count, value=status.rejected)
        metrics.add_metric(
            name="RecordsUpserted",
            unit=MetricUnit.Count,
            value=status.advisors_upserted + status.clients_upserted,
        )
        results.append({"import_id": status.import_id, "status": status.status})
    return {"imports": results}
