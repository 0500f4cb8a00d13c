"""The AWS an invocation reaches: the running local stack's emulator, found by the names the
stack gives its resources, or a fresh emulator provisioned from the template and seeded."""

import os
import socket
import sys
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_plus

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from local.harness import template
from local.harness.emulator_process import emulator_process, use_emulator
from local.harness.events import s3_put_event
from local.harness.provision import SEED_BUCKET, existing, provision
from local.invoke.execution import invoke_once

HOST = "127.0.0.1"


class UsageError(Exception):
    """The command was asked something it cannot do (exit status 2)."""


@dataclass(frozen=True)
class Settings:
    """The local stack's settings this command shares with `make run` (local.stack.run)."""

    aws_port: int = field(default_factory=lambda: int(os.environ.get("LOCAL_AWS_PORT", "5000")))
    seed_bucket: str = field(
        default_factory=lambda: os.environ.get("LOCAL_SEED_BUCKET", "advisor-book-seed")
    )
    seed_file: str = field(default_factory=lambda: os.environ.get("LOCAL_SEED_FILE", "data.json"))


@dataclass(frozen=True)
class Target:
    """The emulator the function reaches and what `!Ref` gives there for each resource."""

    url: str
    refs: dict[str, str]
    description: str


def listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(2)
        return probe.connect_ex((HOST, port)) == 0


def running_stack(settings: Settings) -> Target | None:
    """The local stack's emulator on LOCAL_AWS_PORT, or None if nothing listens there. What
    answers there must hold the stack's resources, under the names the stack gives them."""
    url = f"http://{HOST}:{settings.aws_port}"
    if not listening(settings.aws_port):
        print(f"no local stack answers on {url} (make run)", file=sys.stderr)
        return None
    use_emulator(url)
    try:
        refs = existing(settings.seed_bucket)
    except (LookupError, BotoCoreError) as why:
        raise UsageError(
            f"{url} answers, but not as a local stack with the seed bucket "
            f"{settings.seed_bucket!r} ({why}); give LOCAL_AWS_PORT and LOCAL_SEED_BUCKET the "
            "values make run has"
        ) from why
    return Target(url, refs, f"the local stack at {url}")


def _ingest_function() -> str:
    """The function the template triggers with uploads to the seed bucket."""
    return next(
        f.logical_id
        for f in template.functions().values()
        if any(t.bucket == SEED_BUCKET for t in f.bucket_triggers)
    )


def fresh_emulator(settings: Settings, exits: ExitStack) -> Target:
    """A new emulator with every resource of the template, the seed file uploaded to the seed
    bucket and imported by the ingest function as the upload's event would have it."""
    print(
        f"starting a fresh emulator: template.yaml's resources, {settings.seed_file} imported",
        file=sys.stderr,
    )
    url = exits.enter_context(emulator_process(local=True))
    use_emulator(url)
    refs = provision(settings.seed_bucket)
    body = (template.ROOT / settings.seed_file).read_bytes()
    bucket = refs[SEED_BUCKET]
    put = boto3.client("s3").put_object(Bucket=bucket, Key=settings.seed_file, Body=body)
    upload = s3_put_event(
        bucket,
        settings.seed_file,
        version_id=put.get("VersionId"),
        etag=put["ETag"].strip('"'),
        size=len(body),
    )
    with tempfile.NamedTemporaryFile("r") as logs:
        seeded = invoke_once(_ingest_function(), upload, refs, log_file=logs.name)
        imports = (seeded.response or {}).get("imports", [])
        if seeded.error or seeded.denials or [i["status"] for i in imports] != ["SUCCEEDED"]:
            sys.stderr.write(logs.read())
            raise RuntimeError(f"seeding the emulator with {settings.seed_file} failed: {seeded}")
    return Target(url, refs, f"a fresh emulator at {url}")


def check_s3_objects(event: dict[str, Any], target: Target) -> None:
    """An S3 event must name objects that exist in the target's buckets."""
    buckets = {target.refs[b] for b in template.resources_of_type("AWS::S3::Bucket")}
    s3 = boto3.client("s3")
    for record in event.get("Records", []):
        if not isinstance(record, dict) or record.get("eventSource") != "aws:s3":
            continue
        bucket = record.get("s3", {}).get("bucket", {}).get("name", "")
        obj = record.get("s3", {}).get("object", {})
        key = unquote_plus(obj.get("key", ""))
        if bucket not in buckets:
            raise UsageError(
                f"the event names the bucket {bucket!r}, which {target.description} does not "
                f"have: its seed bucket is {target.refs[SEED_BUCKET]!r} (LOCAL_SEED_BUCKET)"
            )
        request: Any = {"Bucket": bucket, "Key": key}
        if obj.get("versionId"):
            request["VersionId"] = obj["versionId"]
        try:
            s3.head_object(**request)
        except ClientError as error:
            raise UsageError(
                f"the event names s3://{bucket}/{key}, which is not in {target.description}; "
                f"upload it first: aws --endpoint-url {target.url} s3 cp FILE s3://{bucket}/{key}"
            ) from error
