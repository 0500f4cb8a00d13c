"""`make import FILE=<path>`: upload a seed file to a stack's seed bucket and follow its import
to the end, as a user would watch it.

    python -m local.stack.upload my-book.json               # the running local stack (make run)
    python -m local.stack.upload my-book.json --env dev     # the stack samconfig.toml's dev deploys

Locally the emulator is found on LOCAL_AWS_PORT (default 5000) with credentials of its own, so
no AWS configuration is needed. With --env, the stack's name comes from samconfig.toml and its
seed bucket and table from the stack's outputs, with the caller's AWS credentials.

The import is followed by reading its status item from the table (one GetItem a second), not
through the API: whoever can upload to a deployed stack's bucket has AWS credentials, but not
necessarily a Cognito user. Its id follows from the upload itself (bucket, key and the version
S3 gave the object), so no other upload to the same key is mistaken for it.

Exit status: 0 when the import ends SUCCEEDED or PARTIAL, 1 when it ends FAILED or the upload
fails, 3 when it has not ended within --timeout seconds (it goes on without the watch).
"""

import argparse
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError, EndpointConnectionError

from local import deployed
from local.harness import template
from local.stack.progress import Display, Lines, summary

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_s3.type_defs import CompletedPartTypeDef

    from advisor_book.import_reports import ImportStatus

LOCAL_TABLE = "BookTable"  # the local stack names each table by its logical id
LOCAL_BUCKET = "advisor-book-seed"
SEED_BUCKET = "SeedBucket"  # the template's logical id of the seed bucket
POLL_SECONDS = 1.0
PART_SIZE = 128 * 1024 * 1024
"""A file larger than this goes up in parts of this size (S3 takes at most 5 GiB in one PUT)."""

LOCAL_HINT = (
    ". Start the local stack with make run; if it runs with another LOCAL_AWS_PORT, give make "
    "import the same: LOCAL_AWS_PORT=<port> make import FILE=..."
)

EXIT_FAILED = 1
EXIT_TIMED_OUT = 3
EXIT_INTERRUPTED = 130


class UploadError(Exception):
    """The file cannot be uploaded, or its stack cannot be found: the message says why."""


# --- Where to -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A stack's seed bucket and table, with the clients that reach them."""

    bucket: str
    table: str
    described: str
    session: boto3.Session
    endpoint_url: str | None = None

    def client(self, service: str) -> Any:
        return self.session.client(service, endpoint_url=self.endpoint_url)  # type: ignore[call-overload]


def local_target(bucket: str | None) -> Target:
    """The running local stack: its emulator on LOCAL_AWS_PORT, with the emulator's own
    credentials whatever the user's AWS configuration says."""
    port = os.environ.get("LOCAL_AWS_PORT", "5000")
    session = boto3.Session(
        aws_access_key_id="local",
        aws_secret_access_key="local",  # noqa: S106 (the emulator takes any)
        region_name="us-east-1",
    )
    return Target(
        bucket=bucket or os.environ.get("LOCAL_SEED_BUCKET", LOCAL_BUCKET),
        table=LOCAL_TABLE,
        described=f"the local stack (AWS emulator on 127.0.0.1:{port})",
        session=session,
        endpoint_url=f"http://127.0.0.1:{port}",
    )


def deployed_target(config_env: str, bucket: str | None) -> Target:
    """A deployed stack: its seed bucket and table from its outputs, reached with the user's
    AWS credentials."""
    try:
        stack_name, region = deployed.settings(config_env)
    except LookupError as error:
        raise UploadError(str(error)) from None
    session = boto3.Session(region_name=region)
    if session.region_name is None:
        raise UploadError("no AWS region: set AWS_REGION, or region in samconfig.toml")
    try:
        stacks = session.client("cloudformation").describe_stacks(StackName=stack_name)
    except (ClientError, BotoCoreError) as error:
        raise UploadError(f"cannot read the stack {stack_name}: {error}") from error
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stacks["Stacks"][0].get("Outputs", [])}
    missing = {"SeedBucketName", "TableName"} - outputs.keys()
    if missing:
        raise UploadError(f"the stack {stack_name} has no output {', '.join(sorted(missing))}")
    return Target(
        bucket=bucket or outputs["SeedBucketName"],
        table=outputs["TableName"],
        described=f"the stack {stack_name} ({session.region_name})",
        session=session,
    )


def refusal_of_key(key: str) -> str | None:
    """Why an upload to `key` would not be imported (the template's trigger filter), or None."""
    for function in template.functions().values():
        for trigger in function.bucket_triggers:
            if trigger.bucket != SEED_BUCKET:
                continue
            if key.startswith(trigger.prefix) and key.endswith(trigger.suffix):
                return None
            wanted = " and ".join(
                part
                for part in (
                    trigger.prefix and f"start with {trigger.prefix!r}",
                    trigger.suffix and f"end with {trigger.suffix!r}",
                )
                if part
            )
            return f"only keys that {wanted} are imported"
    return "the template imports nothing from the seed bucket"


# --- Upload ---------------------------------------------------------------------------------


def upload(s3: "S3Client", path: Path, bucket: str, key: str, part_size: int = PART_SIZE) -> str:
    """Upload the file and return what names this version of the object in S3's event: its
    version id, or its ETag in a bucket without versioning."""
    size = path.stat().st_size
    with path.open("rb") as body:
        if size <= part_size:
            put = s3.put_object(Bucket=bucket, Key=key, Body=body)
            return put.get("VersionId") or put["ETag"].strip('"')
        return _upload_in_parts(s3, body, bucket, key, part_size)


def _upload_in_parts(s3: "S3Client", body: IO[bytes], bucket: str, key: str, size: int) -> str:
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
    try:
        parts: list[CompletedPartTypeDef] = []

        while chunk := body.read(size):
            number = len(parts) + 1
            part = s3.upload_part(
                Bucket=bucket, Key=key, UploadId=upload_id, PartNumber=number, Body=chunk
            )
            parts.append({"PartNumber": number, "ETag": part["ETag"]})
        done = s3.complete_multipart_upload(
            Bucket=bucket, Key=key, UploadId=upload_id, MultipartUpload={"Parts": parts}
        )
    except BaseException:
        s3.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id)
        raise
    return done.get("VersionId") or done["ETag"].strip('"')


# --- Following the import -------------------------------------------------------------------


def follow(
    read: Callable[[], "ImportStatus | None"],
    display: Display,
    *,
    timeout: float,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> "ImportStatus | None":
    """Read the import's status until it has ended (its last status) or `timeout` seconds went
    by (None), showing its progress at each reading."""
    deadline = clock() + timeout
    try:
        while True:
            status = read()
            if status is not None and status.status != "IN_PROGRESS":
                return status
            now = clock()
            if now >= deadline:
                return None
            display.show(status, now)
            sleep(POLL_SECONDS)
    finally:
        display.close()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="Upload a seed file to a stack's seed bucket and follow its import.",
        epilog="Exit status: 0 SUCCEEDED or PARTIAL; 1 FAILED, or the upload failed; "
        "3 the import had not ended within --timeout (it goes on).",
    )
    parser.add_argument("file", type=Path, help="the seed file (JSON) to upload")
    parser.add_argument("--key", help="the S3 key (default: the file's name)")
    parser.add_argument(
        "--env",
        help="a deploy environment of samconfig.toml (default, dev, prod): that stack, with "
        "your AWS credentials; without it, the local stack of make run",
    )
    parser.add_argument("--bucket", help="another bucket than the stack's seed bucket")
    parser.add_argument(
        "--timeout",
        type=float,
        default=3600,
        help="seconds to follow the import before giving up on watching it (default 3600)",
    )
    return parser


def _follow_import(target: Target, key: str, import_id: str, timeout: float) -> int:
    """Watch the uploaded file's import to its end and say how it ended, as the exit status
    the module's docstring lists."""
    from advisor_book.store.core import Table
    from advisor_book.store.imports import ImportStore

    imports = ImportStore(Table(target.client("dynamodb"), target.table))
    display = Display(sys.stdout) if sys.stdout.isatty() else Lines(sys.stdout)
    try:
        finished = follow(lambda: imports.get(import_id), display, timeout=timeout)
    except KeyboardInterrupt:
        print(f"stopped watching; the import goes on: {import_id}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (ClientError, BotoCoreError) as error:
        print(
            f"error: cannot read import {import_id} from the table {target.table}: {error}; "
            f"the import goes on (GET /imports/{import_id} shows it)",
            file=sys.stderr,
        )
        return EXIT_FAILED

    if finished is None:
        started = imports.get(import_id) is not None
        print(
            f"error: import {import_id} had not ended after {timeout:g} s; it goes on "
            "without the watch (--timeout to wait longer)"
            if started
            else f"error: no import of s3://{target.bucket}/{key} started within "
            f"{timeout:g} s: is {target.bucket} the seed bucket of {target.described}?",
            file=sys.stderr,
        )
        return EXIT_TIMED_OUT

    print(summary(finished), flush=True)
    return EXIT_FAILED if finished.status == "FAILED" else 0


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not args.file.is_file():
        parser.error(f"{args.file} is not a file")
    key = args.key or args.file.name
    refusal = refusal_of_key(key)
    if refusal is not None:
        parser.error(f"{key} would not be imported: {refusal}; choose another --key")

    sys.path.insert(0, str(template.ROOT / "layers" / "shared"))
    from advisor_book.imports import import_id_for

    try:
        target = deployed_target(args.env, args.bucket) if args.env else local_target(args.bucket)
    except UploadError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILED
    try:
        version = upload(target.client("s3"), args.file, target.bucket, key)
    except EndpointConnectionError as error:
        print(f"error: {error}{'' if args.env else LOCAL_HINT}", file=sys.stderr)
        return EXIT_FAILED
    except (ClientError, BotoCoreError) as error:
        print(
            f"error: cannot upload to s3://{target.bucket}/{key} of {target.described}: {error}",
            file=sys.stderr,
        )
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("interrupted before the upload ended: nothing is imported", file=sys.stderr)
        return EXIT_INTERRUPTED

    import_id = import_id_for(target.bucket, key, version)
    print(
        f"uploaded {args.file} to s3://{target.bucket}/{key} of {target.described}; "
        f"import {import_id}",
        flush=True,
    )
    return _follow_import(target, key, import_id, args.timeout)


if __name__ == "__main__":
    sys.exit(main())
