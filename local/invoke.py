"""`make invoke FUNCTION=<logical id> EVENT=<file>` (`python -m local.invoke FUNCTION EVENT`):
one function of template.yaml run once on one event, as `sam local invoke` runs it, without
Docker.

The handler runs in a process of its own made an execution environment of the function
(local.harness.runtime): its environment from the template, every AWS call held to its role,
a Lambda context with its memory and timeout. The AWS it reaches is the running local stack's
emulator (`make run`), found on LOCAL_AWS_PORT by the names the stack gives its resources;
with no stack there, a fresh emulator provisioned from the template and seeded with
LOCAL_SEED_FILE through the ingest function, as an upload to the seed bucket would be. The
response goes to stdout, the function's logs to stderr.
"""

import argparse
import json
import multiprocessing
import os
import resource
import socket
import sys
import tempfile
import time
import traceback
import uuid
from contextlib import ExitStack, suppress
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from local.harness import template
from local.harness.emulator_process import emulator_process, use_emulator
from local.harness.events import s3_put_event
from local.harness.provision import SEED_BUCKET, existing, provision
from local.harness.runtime import LambdaContext, instance_handler

HOST = "127.0.0.1"
INIT_ALLOWANCE_SECONDS = 600  # a safety net for loading the function, never a measure
USAGE_ERROR = 2

EPILOG = """\
AWS:
  With `make run` running, the function works on the local stack's resources (its table,
  seed bucket, secret, queues and user pool, found by the names the stack gives them).
  Otherwise a fresh emulator is started on a free port, provisioned from template.yaml and
  seeded with LOCAL_SEED_FILE through the ingest function; it is stopped afterwards.
  An S3 event must name an object that exists there: data.json is uploaded under its own name
  in the seed bucket when seeding, and the local stack uploads it when it starts.

output:
  stdout  the response: for an API event its status, headers and body (JSON pretty-printed);
          for another event the JSON the function returned; for a failure Lambda's error
          response (errorType, errorMessage, stackTrace)
  stderr  the function's log lines, then Lambda's END and REPORT lines

exit status:
  0  the function answered (an API event's status below 500)
  1  the function raised, answered a 5xx, or its role refused one of its AWS calls
  2  a bad FUNCTION or EVENT, an S3 event naming an object that is not there, or something
     other than the local stack listening on LOCAL_AWS_PORT

environment:
  LOCAL_AWS_PORT     the local stack's emulator port (default 5000), as given to make run
  LOCAL_SEED_BUCKET  the local seed bucket's name (default advisor-book-seed), as make run's
  LOCAL_SEED_FILE    what a fresh emulator is seeded with (default data.json)

examples:
  make invoke FUNCTION=AdvisorsFunction EVENT=events/list_advisors.json
  make invoke FUNCTION=AssignmentsFunction EVENT=events/assign_advisor.json
  make invoke FUNCTION=IngestFunction EVENT=events/s3_seed_uploaded.json
  python -m local.invoke AdvisorsFunction events/list_advisors.json 2>/dev/null
"""


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


@dataclass(frozen=True)
class Outcome:
    """One invocation, as Lambda reports it: the response, or the error response of a handler
    that raised (or a runtime that failed), and the calls the role refused."""

    function: str
    request_id: str
    response: Any = None
    error: dict[str, Any] | None = None
    denials: tuple[str, ...] = ()
    duration_ms: float = 0.0
    max_memory_mb: int = 0


# --- one invocation in an execution environment of its own ---------------------------------

_READY = "ready"


def _execution_environment(
    logical_id: str,
    refs: dict[str, str],
    event: dict[str, Any],
    request_id: str,
    log_file: str | None,
    connection: Connection,
) -> None:
    """The child process: loads the function, runs the event once, sends back what happened.
    Its logs go to stderr (or to `log_file`), apart from the response."""
    if log_file is not None:
        sink = os.open(log_file, os.O_WRONLY | os.O_APPEND)
        os.dup2(sink, 2)
    os.dup2(2, 1)
    handler, audit = instance_handler(logical_id, refs)
    function = template.functions()[logical_id]
    connection.send(_READY)
    context = LambdaContext(
        function_name=logical_id,
        memory_limit_in_mb=function.memory_mb,
        timeout_seconds=function.timeout_seconds,
        aws_request_id=request_id,
    )
    response: str | None = None
    error: dict[str, Any] | None = None
    try:
        # Lambda sends the caller the response serialized as JSON.
        response = json.dumps(handler(event, context))
    except TypeError as raised:
        error = {"errorType": "Runtime.MarshalError", "errorMessage": str(raised)}
    except Exception as raised:  # reported as Lambda reports an unhandled error
        traceback.print_exc()
        error = {
            "errorType": type(raised).__name__,
            "errorMessage": str(raised),
            "requestId": request_id,
            "stackTrace": traceback.format_tb(raised.__traceback__),
        }
    sys.stdout.flush()
    sys.stderr.flush()
    max_memory_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    connection.send((response, error, [str(d) for d in audit.denied], max_memory_mb))


def invoke_once(
    logical_id: str, event: dict[str, Any], refs: dict[str, str], *, log_file: str | None = None
) -> Outcome:
    """Run the function once on the event in a new execution environment (a spawned process),
    held to the function's timeout once it is loaded, as Lambda holds it. Its logs go to
    stderr, or to the end of `log_file`."""
    function = template.functions()[logical_id]
    request_id = str(uuid.uuid4())
    spawn = multiprocessing.get_context("spawn")
    connection, child = spawn.Pipe()
    process = spawn.Process(
        target=_execution_environment,
        args=(logical_id, refs, event, request_id, log_file, child),
        name=f"lambda-{logical_id}",
        daemon=True,
    )
    process.start()
    child.close()
    started = time.monotonic()
    try:
        if not connection.poll(INIT_ALLOWANCE_SECONDS) or connection.recv() != _READY:
            raise EOFError
        started = time.monotonic()
        if not connection.poll(function.timeout_seconds):
            return Outcome(
                logical_id,
                request_id,
                error={
                    "errorType": "Sandbox.Timedout",
                    "errorMessage": f"RequestId: {request_id} Error: Task timed out after "
                    f"{function.timeout_seconds:.2f} seconds",
                },
                duration_ms=(time.monotonic() - started) * 1000,
            )
        response, error, denials, max_memory_mb = connection.recv()
    except (EOFError, OSError):
        process.join(timeout=10)
        return Outcome(
            logical_id,
            request_id,
            error={
                "errorType": "Runtime.ExitError",
                "errorMessage": f"RequestId: {request_id} Error: Runtime exited with error: "
                f"exit status {process.exitcode}",
            },
            duration_ms=(time.monotonic() - started) * 1000,
        )
    finally:
        connection.close()
        process.join(timeout=10)
        if process.is_alive():
            process.kill()
            process.join(timeout=10)
    return Outcome(
        logical_id,
        request_id,
        response=json.loads(response) if response is not None else None,
        error=error,
        denials=tuple(denials),
        duration_ms=(time.monotonic() - started) * 1000,
        max_memory_mb=max_memory_mb,
    )


# --- the AWS it runs against ----------------------------------------------------------------


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(2)
        return probe.connect_ex((HOST, port)) == 0


def _running_stack(settings: Settings) -> Target | None:
    """The local stack's emulator on LOCAL_AWS_PORT, or None if nothing listens there. What
    answers there must hold the stack's resources, under the names the stack gives them."""
    url = f"http://{HOST}:{settings.aws_port}"
    if not _listening(settings.aws_port):
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


def _fresh_emulator(settings: Settings, exits: ExitStack) -> Target:
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


def _check_s3_objects(event: dict[str, Any], target: Target) -> None:
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


# --- the command ----------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m local.invoke",
        description=(
            "Run one function of template.yaml once on an event file, as `sam local invoke`\n"
            "would, without Docker: with its environment from the template, every AWS call\n"
            "held to its role, and a Lambda context."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    names = ", ".join(sorted(template.functions()))
    parser.add_argument("function", metavar="FUNCTION", help=f"a logical id: {names}")
    parser.add_argument(
        "event", metavar="EVENT", type=Path, help="a JSON event file, such as those in events/"
    )
    return parser


def _read_event(path: Path) -> dict[str, Any]:
    try:
        event = json.loads(path.read_text())
    except FileNotFoundError:
        raise UsageError(f"no event file {path}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UsageError(f"the event file {path} is not JSON: {error}") from None
    if not isinstance(event, dict):
        raise UsageError(f"the event file {path} holds no JSON object")
    return event


def _note_routing(function: str, event: dict[str, Any]) -> None:
    """An API event for a route the template gives another function is worth a word."""
    method, resource_path = str(event.get("httpMethod")), str(event.get("resource"))
    routed = {(r.method, r.path): r.function for r in template.routes()}
    owner = routed.get((method, resource_path)) or routed.get(("ANY", resource_path))
    if owner is not None and owner != function:
        print(
            f"note: template.yaml routes {method} {resource_path} to {owner}, not {function}",
            file=sys.stderr,
        )


def _api_response(response: dict[str, Any]) -> str:
    """An API Gateway proxy response as HTTP shows it: status, headers, then the body."""
    headers = dict(response.get("headers") or {})
    for name, values in (response.get("multiValueHeaders") or {}).items():
        headers[name] = ", ".join(str(v) for v in values)
    lines = [f"HTTP {response['statusCode']}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    body = response.get("body") or ""
    if response.get("isBase64Encoded"):
        body = f"<{len(body)} characters of base64>"
    else:
        with suppress(ValueError):
            body = json.dumps(json.loads(body), indent=2, ensure_ascii=False)
    return "\n".join([*lines, "", body])


def report(outcome: Outcome) -> int:
    """Print the outcome (the response to stdout, the verdict to stderr); the exit status."""
    function = template.functions()[outcome.function]
    print(f"END RequestId: {outcome.request_id}", file=sys.stderr)
    print(
        f"REPORT RequestId: {outcome.request_id}\tDuration: {outcome.duration_ms:.2f} ms\t"
        f"Memory Size: {function.memory_mb} MB\tMax Memory Used: {outcome.max_memory_mb} MB",
        file=sys.stderr,
    )
    problems = [f"the role of {outcome.function} refused a call: {d}" for d in outcome.denials]
    if outcome.error is not None:
        print(json.dumps(outcome.error, indent=2))
        problems.append(f"{outcome.error['errorType']}: {outcome.error['errorMessage']}")
    elif isinstance(outcome.response, dict) and "statusCode" in outcome.response:
        print(_api_response(outcome.response))
        if int(outcome.response["statusCode"]) >= 500:
            problems.append(f"the function answered {outcome.response['statusCode']}")
    else:
        print(json.dumps(outcome.response, indent=2, ensure_ascii=False))
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    # The shared layer, as Lambda mounts it for every function (spawned processes inherit it).
    sys.path.insert(0, str(template.ROOT / "layers" / "shared"))
    functions = template.functions()
    try:
        if args.function not in functions:
            raise UsageError(
                f"no function {args.function!r} in template.yaml; its functions are "
                + ", ".join(sorted(functions))
            )
        event = _read_event(args.event)
        _note_routing(args.function, event)
        settings = Settings()
        with ExitStack() as exits:
            target = _running_stack(settings) or _fresh_emulator(settings, exits)
            _check_s3_objects(event, target)
            print(f"{args.function} <- {args.event} on {target.description}", file=sys.stderr)
            return report(invoke_once(args.function, event, target.refs))
    except UsageError as error:
        parser.print_usage(sys.stderr)
        print(f"error: {error}", file=sys.stderr)
        return USAGE_ERROR


if __name__ == "__main__":
    sys.exit(main())
