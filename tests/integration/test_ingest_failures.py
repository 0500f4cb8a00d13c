"""An import whose every attempt fails (out of memory, out of time, a crash) ends FAILED with a
reason, never IN_PROGRESS for ever: by counting the attempts that never finished it, and
through the events AWS gives up on (Lambda's on-failure destination record of the S3 event,
the continuation queue's redrive), which the ingest turns into the import's failure before
keeping them in the dead-letter queue. Also the local stack, which reproduces those AWS
behaviours from the template.
"""

import dataclasses
import json
import multiprocessing
import socket
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import unquote_plus

import boto3
import pytest

from advisor_book.import_reports import ImportStatus
from advisor_book.imports import Work
from advisor_book.ingest import importer
from advisor_book.ingest.importer import ImportJob
from advisor_book.models import utc_now
from advisor_book.store.core import Table
from advisor_book.store.ingest import IngestStore
from local.harness import template
from local.harness.events import s3_put_event
from local.harness.runtime import function_arn
from local.stack.instances import FunctionPool, InstanceLostError, InvocationError
from local.stack.notifications import (
    QueueDrain,
    bucket_drains,
    failure_record,
    queue_drains,
    sqs_event,
)
from tests.conftest import BUCKET, LOCAL_BUCKET, HttpResponse, LambdaTime, Stores
from tests.integration.test_ingest_faults import (
    BOOK,
    BOOK_CLIENTS,
    BOOK_RECORDS,
    SEED_BYTES,
    counts,
    import_file,
    put_seed_object,
    stored_client_ids,
)

Api = Callable[..., HttpResponse]
Functions = Callable[[str], Callable[[dict[str, Any]], Any]]

REQUEST_ID = "c2a6f2ae-7dbb-4d22-8782-d0485c9877e2"
OUT_OF_MEMORY = InvocationError(
    "Runtime.OutOfMemory", f"RequestId: {REQUEST_ID} Error: Runtime exited with error: signal: 9"
)
# Generous safety nets for what runs in other processes; nothing here waits on a clock.
WAIT_SECONDS = 180


def job_of(event: dict[str, Any]) -> ImportJob:
    """The import the ingest makes of an S3 event's one upload."""
    s3 = event["Records"][0]["s3"]
    version = s3["object"]["versionId"]
    key = unquote_plus(s3["object"]["key"])
    return ImportJob(bucket=s3["bucket"]["name"], key=key, version=version, version_id=version)


def queue_arn(url: str) -> str:
    attributes = boto3.client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    return attributes["Attributes"]["QueueArn"]


def received(url: str) -> list[dict[str, Any]]:
    """Every message now on a queue (each then hidden for the queue's visibility timeout)."""
    sqs = boto3.client("sqs")
    messages: list[dict[str, Any]] = []
    while batch := sqs.receive_message(
        QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"]
    ).get("Messages", []):
        messages.extend(dict(m) for m in batch)
    return messages


def from_the_failures_queue(resources: dict[str, str], body: str) -> dict[str, Any]:
    """The SQS event the failures queue's event source mapping invokes the ingest with."""
    url = resources["ImportFailuresQueue"]
    boto3.client("sqs").send_message(QueueUrl=url, MessageBody=body)
    (message,) = received(url)
    event = sqs_event(queue_arn(url))(message)
    assert event is not None
    return event


def died_holding(
    stores: Stores, job: ImportJob, owner: str, *, lease: timedelta = importer.LEASE
) -> None:
    """An invocation that took the import, checkpointed its advisors, and was killed."""
    now = utc_now()
    fresh = ImportStatus.started(job.import_id, job.bucket, job.key, now)
    claimed = stores.imports.claim(fresh, owner=owner, now=now, lease_until=now + lease)
    assert claimed is not None
    progress = claimed.status.model_copy(update={"advisors_upserted": 14, "records_done": 14})
    stores.imports.save_progress(
        progress, owner=owner, lease_until=now + lease, work=Work(checkpoint=14, working_ms=500)
    )


# --- 1. Attempts that never finished ---------------------------------------------------------


@pytest.mark.parametrize(
    "owners",
    [
        pytest.param(["req-1"] * 3, id="lambda-retries-of-one-event"),
        pytest.param(["req-1", "req-2", "message-1"], id="leases-that-ran-out"),
    ],
)
def test_the_attempt_after_three_that_died_marks_the_import_failed(
    owners: list[str], stores: Stores, table: str
) -> None:
    job = ImportJob(bucket=BUCKET, key="book.json", version="v1")
    for owner in owners:
        died_holding(stores, job, owner, lease=-timedelta(seconds=1))

    status = import_file(stores, job, BOOK, owner=owners[-1])

    assert counts(status) == ("FAILED", 14, 0, 0, 14)
    assert [(e.path, e.message) for e in status.errors] == [
        (
            "$",
            "every attempt failed: 3 invocations took the import and ended without "
            "finishing it (out of memory, out of time or a crash)",
        )
    ]
    stored = stores.imports.get(job.import_id)
    assert stored is not None
    assert stored.model_dump(mode="json") == status.model_dump(mode="json")
    assert stored_client_ids(table) == []


def test_attempts_that_raised_count_and_the_fourth_fails_the_import(
    stores: Stores, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = ImportJob(bucket=BUCKET, key="book.json", version="v1")

    def unavailable(self: IngestStore, writes: Any) -> None:
        raise RuntimeError("the table is unavailable")

    with monkeypatch.context() as failing:
        failing.setattr(IngestStore, "put_clients", unavailable)
        for _ in range(importer.MAX_ATTEMPTS):
            with pytest.raises(RuntimeError, match="unavailable"):
                import_file(stores, job, BOOK, owner="req-1")

    status = import_file(stores, job, BOOK, owner="req-1")

    assert status.status == "FAILED"
    assert status.errors[0].message.startswith("every attempt failed: 3 invocations")


@pytest.mark.slow
def test_two_attempts_that_died_leave_the_third_its_try(stores: Stores, table: str) -> None:
    job = ImportJob(bucket=BUCKET, key="book.json", version="v1")
    for _ in range(importer.MAX_ATTEMPTS - 1):
        died_holding(stores, job, "req-1")

    status = import_file(stores, job, BOOK, owner="req-1")

    assert (status.status, status.records_done) == ("SUCCEEDED", BOOK_RECORDS)
    assert len(stored_client_ids(table)) == BOOK_CLIENTS


@pytest.mark.slow
def test_an_import_handed_on_through_many_continuations_never_counts_them_as_failed(
    stores: Stores,
) -> None:
    job = ImportJob(bucket=BUCKET, key="book.json", version="v1")
    handed_over: list[ImportJob] = []
    owner, status = "req-1", None
    while status is None or status.status == "IN_PROGRESS":
        status = import_file(
            stores,
            job,
            BOOK,
            owner=owner,
            time=LambdaTime(calls_before_low=100),
            handed_over=handed_over,
        )
        owner = f"message-{len(handed_over)}"

    assert len(handed_over) > 2 * importer.MAX_ATTEMPTS
    assert (status.status, status.records_done) == ("SUCCEEDED", BOOK_RECORDS)


# --- 2. Events AWS gave up on ----------------------------------------------------------------


def test_a_destination_record_marks_the_import_of_its_s3_event_failed_with_the_reason(
    functions: Functions,
    seed_bucket: str,
    resources: dict[str, str],
    stores: Stores,
    api: Api,
) -> None:
    upload = put_seed_object(seed_bucket, SEED_BYTES)
    job = job_of(upload)
    died_holding(stores, job, f"{REQUEST_ID}:0")
    record = json.dumps(
        failure_record(upload, REQUEST_ID, function_arn("IngestFunction"), 3, OUT_OF_MEMORY)
    )

    result = functions("IngestFunction")(from_the_failures_queue(resources, record))

    assert result == {"imports": [{"import_id": job.import_id, "status": "FAILED"}]}
    shown = api("GET", "/imports/{import_id}", import_id=job.import_id).body
    assert (shown["status"], shown["advisors_upserted"], shown["records_done"]) == (
        "FAILED",
        14,
        14,
    )
    assert shown["finished_at"] is not None
    assert shown["errors"] == [
        {
            "path": "$",
            "message": "every attempt failed (RetriesExhausted, 3 tries): Runtime.OutOfMemory: "
            f"RequestId: {REQUEST_ID} Error: Runtime exited with error: signal: 9",
        }
    ]
    # Operators still find the event, as Lambda recorded it, in the dead-letter queue.
    assert [m["Body"] for m in received(resources["IngestDeadLetterQueue"])] == [record]


# The example of AWS's documentation: a runtime failure answers with an errorMessage only.
DOCUMENTED_RECORD = {
    "version": "1.0",
    "timestamp": "2019-11-14T18:16:05.568Z",
    "requestContext": {
        "requestId": REQUEST_ID,
        "functionArn": "arn:aws:lambda:us-east-1:123456789012:function:my-function:$LATEST",
        "condition": "RetriesExhausted",
        "approximateInvokeCount": 3,
    },
    "responseContext": {
        "statusCode": 200,
        "executedVersion": "$LATEST",
        "functionError": "Unhandled",
    },
    "responsePayload": {
        "errorMessage": f"RequestId: {REQUEST_ID} Process exited before completing request"
    },
}


def test_an_upload_no_attempt_could_start_gets_a_failed_import(
    functions: Functions, seed_bucket: str, resources: dict[str, str], api: Api
) -> None:
    upload = put_seed_object(seed_bucket, SEED_BYTES, key="never started.json")
    record = {**DOCUMENTED_RECORD, "requestPayload": upload}

    functions("IngestFunction")(from_the_failures_queue(resources, json.dumps(record)))

    listed = api("GET", "/imports", query={"key": "never started.json"}).body["items"]
    assert [(i["import_id"], i["status"]) for i in listed] == [(job_of(upload).import_id, "FAILED")]
    assert listed[0]["errors"][0]["message"] == (
        "every attempt failed (RetriesExhausted, 3 tries): "
        f"RequestId: {REQUEST_ID} Process exited before completing request"
    )


def test_a_destination_record_leaves_a_finished_import_as_it_is(
    functions: Functions, seed_bucket: str, resources: dict[str, str], table: str
) -> None:
    upload = put_seed_object(seed_bucket, SEED_BYTES)
    ingest_function = functions("IngestFunction")
    (finished,) = ingest_function(upload)["imports"]
    before = boto3.client("dynamodb").scan(TableName=table)["Items"]
    record = json.dumps(
        failure_record(upload, REQUEST_ID, function_arn("IngestFunction"), 3, OUT_OF_MEMORY)
    )

    result = ingest_function(from_the_failures_queue(resources, record))

    assert finished["status"] == "SUCCEEDED"
    assert result == {"imports": [finished]}
    assert boto3.client("dynamodb").scan(TableName=table)["Items"] == before
    assert [m["Body"] for m in received(resources["IngestDeadLetterQueue"])] == [record]


def test_a_destination_record_leaves_an_import_another_invocation_is_running(
    functions: Functions, seed_bucket: str, resources: dict[str, str], stores: Stores
) -> None:
    """S3 may deliver an upload twice: one delivery failing for good says nothing of the
    other, which holds the import now."""
    upload = put_seed_object(seed_bucket, SEED_BYTES)
    job = job_of(upload)
    died_holding(stores, job, "another-delivery:0", lease=timedelta(days=1))
    record = json.dumps(
        failure_record(upload, REQUEST_ID, function_arn("IngestFunction"), 3, OUT_OF_MEMORY)
    )

    result = functions("IngestFunction")(from_the_failures_queue(resources, record))

    assert result == {"imports": [{"import_id": job.import_id, "status": "IN_PROGRESS"}]}


def test_a_continuation_redriven_after_its_last_delivery_marks_the_import_failed(
    functions: Functions, resources: dict[str, str], stores: Stores, api: Api
) -> None:
    """The continuation queue moves a message every delivery of which failed to the failures
    queue, with its message id: the owner of the attempts that failed."""
    job = ImportJob(bucket=BUCKET, key="book.json", version="v1")
    paused = import_file(stores, job, BOOK, owner="req-1", time=LambdaTime(calls_before_low=300))
    assert paused.status == "IN_PROGRESS"
    sqs = boto3.client("sqs")
    continuation_url = resources["IngestContinuationQueue"]
    sqs.send_message(QueueUrl=continuation_url, MessageBody=job.model_dump_json())
    (message,) = received(continuation_url)
    died_holding(stores, job, message["MessageId"])
    sqs.change_message_visibility(
        QueueUrl=continuation_url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
    )
    for _ in range(2):
        (again,) = received(continuation_url)
        sqs.change_message_visibility(
            QueueUrl=continuation_url, ReceiptHandle=again["ReceiptHandle"], VisibilityTimeout=0
        )
    assert received(continuation_url) == []
    (redriven,) = received(resources["ImportFailuresQueue"])
    assert redriven["MessageId"] == message["MessageId"]
    event = sqs_event(queue_arn(resources["ImportFailuresQueue"]))(redriven)
    assert event is not None

    result = functions("IngestFunction")(event)

    assert result == {"imports": [{"import_id": job.import_id, "status": "FAILED"}]}
    shown = api("GET", "/imports/{import_id}", import_id=job.import_id).body
    assert shown["errors"][0] == {
        "path": "$",
        "message": "every attempt failed: each delivery of its continuation failed",
    }
    assert [m["Body"] for m in received(resources["IngestDeadLetterQueue"])] == [
        job.model_dump_json()
    ]


def test_the_failures_queue_keeps_what_its_handler_fails_on_in_the_dead_letter_queue(
    resources: dict[str, str],
) -> None:
    """Six deliveries: three more than a continuation redriven there has already had."""
    sqs = boto3.client("sqs")
    failures = resources["ImportFailuresQueue"]
    sqs.send_message(QueueUrl=failures, MessageBody="{}")
    for _ in range(6):
        (message,) = received(failures)
        sqs.change_message_visibility(
            QueueUrl=failures, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
        )

    assert received(failures) == []
    assert [m["Body"] for m in received(resources["IngestDeadLetterQueue"])] == ["{}"]


# --- 3. The local stack reproduces it from the template --------------------------------------


def wait_for[T](found: Callable[[], T | None]) -> T:
    """What `found` finds, polled until it finds something; the deadline is a safety net."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        value = found()
        if value is not None:
            return value
        time.sleep(0.2)
    raise AssertionError("nothing came before the deadline")


def next_message(url: str) -> dict[str, Any] | None:
    """A message of the queue, left there for the next reader."""
    messages = (
        boto3.client("sqs")
        .receive_message(QueueUrl=url, AttributeNames=["All"], VisibilityTimeout=0)
        .get("Messages", [])
    )
    return dict(messages[0]) if messages else None


@pytest.fixture
def ingest_pool(emulated: dict[str, str]) -> Iterator[FunctionPool]:
    """The ingest's local instances (processes), pointed at the emulator process."""
    pool = FunctionPool(template.functions()["IngestFunction"], emulated)
    yield pool
    pool.stop()


class Draining:
    """Queue drains running until the block ends."""

    def __init__(self, drains: list[QueueDrain]) -> None:
        self._drains = drains

    def __enter__(self) -> None:
        for drain in self._drains:
            drain.start()

    def __exit__(self, *_: object) -> None:
        for drain in self._drains:
            drain.stop()
        for drain in self._drains:
            drain.join(timeout=30)


@pytest.mark.slow
def test_an_upload_every_local_attempt_fails_goes_to_the_destination_then_fails_its_import(
    emulated: dict[str, str], ingest_pool: FunctionPool
) -> None:
    pools = {"IngestFunction": ingest_pool}
    dynamodb = boto3.client("dynamodb")
    dynamodb.delete_table(TableName=emulated["BookTable"])  # every attempt fails now

    with Draining(bucket_drains(emulated, pools)):
        put = boto3.client("s3").put_object(Bucket=LOCAL_BUCKET, Key="book.json", Body=SEED_BYTES)
        delivered = wait_for(lambda: next_message(emulated["ImportFailuresQueue"]))

    record = json.loads(delivered["Body"])
    assert record["requestContext"]["condition"] == "RetriesExhausted"
    assert record["requestContext"]["approximateInvokeCount"] == 3
    assert record["requestContext"]["functionArn"].endswith(":function:IngestFunction:$LATEST")
    (uploaded,) = record["requestPayload"]["Records"]
    assert uploaded["s3"]["object"]["key"] == "book.json"
    assert uploaded["s3"]["object"]["eTag"] == put["ETag"].strip('"')
    assert record["responsePayload"]["errorType"] == "ResourceNotFoundException"

    dynamodb.create_table(**template.table_definition(emulated["BookTable"], "BookTable"))
    stores = Stores.over(Table(dynamodb, emulated["BookTable"]))

    def failed() -> ImportStatus | None:
        imports = stores.imports.newest(key="book.json", limit=1, start=None).items
        return imports[0] if imports and imports[0].status == "FAILED" else None

    with Draining(queue_drains(emulated, pools)):
        status = wait_for(failed)
        kept = wait_for(lambda: next_message(emulated["IngestDeadLetterQueue"]))

    assert status.errors[0].message.startswith(
        "every attempt failed (RetriesExhausted, 3 tries): ResourceNotFoundException: "
    )
    assert json.loads(kept["Body"]) == record


@pytest.mark.slow
def test_a_local_instance_past_its_timeout_is_stopped_and_the_invocation_fails(
    emulated: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lambda stops an invocation at the function's timeout; so does a local instance, here
    one whose every AWS call goes to an endpoint that never answers."""
    function = dataclasses.replace(template.functions()["IngestFunction"], timeout_seconds=2)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{silent.getsockname()[1]}")
        pool = FunctionPool(function, emulated)
        try:
            with pytest.raises(InstanceLostError) as failure:
                pool.invoke(s3_put_event(LOCAL_BUCKET, "book.json", version_id="v1"), "r-1")
        finally:
            pool.stop()

    assert (failure.value.error_type, failure.value.error_message) == (
        "Sandbox.Timedout",
        "RequestId: r-1 Error: Task timed out after 2.00 seconds",
    )
    assert "lambda-IngestFunction" not in [p.name for p in multiprocessing.active_children()]
