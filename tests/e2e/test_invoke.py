"""`make invoke` (`python -m local.invoke FUNCTION EVENT`): every sample event in events/ runs
against the running local stack, and against a fresh emulator when no stack runs; failures and
bad arguments end with a clear message and a non-zero status."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from local.harness import template
from local.harness.events import s3_put_event
from local.tools.sample_events import EVENTS
from tests.conftest import ROOT
from tests.e2e.conftest import LocalStack, free_port

pytestmark = pytest.mark.usefixtures("invariants_checked")

SAMPLE_EVENTS = sorted(path.name for path in EVENTS.glob("*.json"))
ROUTES = {(r.method, r.path): r.function for r in template.routes()}
UPLOADS = {t.bucket: f.logical_id for f in template.functions().values() for t in f.bucket_triggers}
EXPECTED_STATUS = {"unassign_advisor.json": 204, "get_import.json": 404}
RUN_TIMEOUT = 600  # a safety net for a busy machine, never a measure


def function_for(event: dict[str, Any]) -> str:
    """The function the template hands the event to: its route's, or its bucket's."""
    if "httpMethod" in event:
        return ROUTES[(event["httpMethod"], event["resource"])]
    (function,) = set(UPLOADS.values())
    return function


def invoke(*arguments: str, aws_port: int, bucket: str = "advisor-book-seed") -> Any:
    """`make invoke`'s command, run as make runs it."""
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "local.invoke", *arguments],
        cwd=ROOT,
        env={**os.environ, "LOCAL_AWS_PORT": str(aws_port), "LOCAL_SEED_BUCKET": bucket},
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
    )


def port_of(stack: LocalStack) -> int:
    return int(stack.aws_url.rsplit(":", 1)[1])


def http_status(stdout: str) -> int:
    first = stdout.splitlines()[0]
    assert first.startswith("HTTP "), stdout
    return int(first.removeprefix("HTTP "))


def write_event(directory: Path, event: dict[str, Any]) -> str:
    path = directory / "event.json"
    path.write_text(json.dumps(event))
    return str(path)


@pytest.mark.parametrize("name", SAMPLE_EVENTS)
def test_every_sample_event_runs_against_the_running_stack(stack: LocalStack, name: str) -> None:
    event = json.loads((EVENTS / name).read_text())

    ran = invoke(
        function_for(event), f"events/{name}", aws_port=port_of(stack), bucket=stack.bucket
    )

    assert ran.returncode == 0, ran.stderr
    assert f"on the local stack at {stack.aws_url}" in ran.stderr
    assert "REPORT RequestId: " in ran.stderr
    if "httpMethod" in event:
        assert http_status(ran.stdout) == EXPECTED_STATUS.get(name, 200)
    else:
        assert [i["status"] for i in json.loads(ran.stdout)["imports"]] == ["SUCCEEDED"]


@pytest.mark.parametrize("name", ["assign_advisor.json", "s3_seed_uploaded.json"])
def test_with_no_stack_running_a_fresh_emulator_is_provisioned_and_seeded(name: str) -> None:
    """Nothing listens on the port: the write route finds data.json's client and advisor, and
    the upload event finds data.json in the seed bucket."""
    event = json.loads((EVENTS / name).read_text())

    ran = invoke(function_for(event), f"events/{name}", aws_port=free_port())

    assert ran.returncode == 0, ran.stderr
    assert "starting a fresh emulator" in ran.stderr
    if "httpMethod" in event:
        assert http_status(ran.stdout) == 200
        body = json.loads(ran.stdout.split("\n\n", 1)[1])
        assert (body["client_id"], body["advisor_id"]) == ("cli-0001", "adv-001")
    else:
        assert [i["status"] for i in json.loads(ran.stdout)["imports"]] == ["SUCCEEDED"]


def test_a_call_the_role_refuses_fails_the_invocation_and_is_named(
    stack: LocalStack, tmp_path: Path
) -> None:
    """A continuation of an import from a bucket the ingest role may not read: the handler
    reports the import FAILED, and the command names the refused call."""
    job = {"bucket": "another-bucket", "key": "book.json", "version": "v1"}
    continuation = {
        "Records": [
            {
                "messageId": "continuation-1",
                "receiptHandle": "continuation-1",
                "body": json.dumps(job),
                "attributes": {},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:IngestContinuationQueue",
                "awsRegion": "us-east-1",
            }
        ]
    }

    ran = invoke("IngestFunction", write_event(tmp_path, continuation), aws_port=port_of(stack))

    assert ran.returncode == 1
    assert [i["status"] for i in json.loads(ran.stdout)["imports"]] == ["FAILED"]
    assert "does not allow s3:GetObject on arn:aws:s3:::another-bucket/book.json" in ran.stderr


def test_a_handler_that_raises_fails_with_lambdas_error_response(
    stack: LocalStack, tmp_path: Path
) -> None:
    malformed = {"Records": [{"eventName": "ObjectCreated:Put"}]}

    ran = invoke("IngestFunction", write_event(tmp_path, malformed), aws_port=port_of(stack))

    assert ran.returncode == 1
    error = json.loads(ran.stdout)
    assert error["errorType"] == "ValidationError"
    assert error["stackTrace"]
    assert "error: ValidationError" in ran.stderr


def test_an_upload_event_for_an_object_that_is_not_there_is_refused(
    stack: LocalStack, tmp_path: Path
) -> None:
    missing = s3_put_event(stack.bucket, "not-uploaded.json")

    ran = invoke("IngestFunction", write_event(tmp_path, missing), aws_port=port_of(stack))

    assert ran.returncode == 2
    assert f"s3://{stack.bucket}/not-uploaded.json, which is not in the local stack" in ran.stderr
    assert "upload it first" in ran.stderr


def test_an_emulator_without_the_stacks_seed_bucket_is_not_taken_for_the_stack(
    stack: LocalStack,
) -> None:
    ran = invoke(
        "AdvisorsFunction", "events/list_advisors.json", aws_port=port_of(stack), bucket="other"
    )

    assert ran.returncode == 2
    assert f"{stack.aws_url} answers, but not as a local stack with the seed bucket" in ran.stderr
    assert "starting a fresh emulator" not in ran.stderr


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("NoSuchFunction", "events/list_advisors.json"), "no function 'NoSuchFunction'"),
        (("AdvisorsFunction", "events/no_such_event.json"), "no event file"),
        (("AdvisorsFunction", "template.yaml"), "is not JSON"),
        ((), "the following arguments are required: FUNCTION, EVENT"),
    ],
)
def test_a_bad_function_or_event_file_is_refused_clearly(
    arguments: tuple[str, ...], message: str
) -> None:
    ran = invoke(*arguments, aws_port=free_port())

    assert ran.returncode == 2
    assert message in ran.stderr
    assert ran.stdout == ""


def test_help_documents_the_arguments_environment_and_examples() -> None:
    ran = invoke("--help", aws_port=free_port())

    assert ran.returncode == 0
    for documented in ("FUNCTION", "EVENT", "LOCAL_AWS_PORT", "LOCAL_SEED_BUCKET", "exit status"):
        assert documented in ran.stdout
    assert "make invoke FUNCTION=AdvisorsFunction EVENT=events/list_advisors.json" in ran.stdout
