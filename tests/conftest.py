"""Fixtures shared by every test: AWS under moto, the table built from template.yaml, the
handlers loaded as Lambda loads them, and the seed data imported through the real ingest.
"""

import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.client import BaseClient
from moto import mock_aws

from advisor_book.ingest import importer
from advisor_book.models import ImportStatus
from advisor_book.store.assignment import AssignmentStore
from advisor_book.store.book import BookStore
from advisor_book.store.core import Table
from advisor_book.store.directory import DirectoryStore
from advisor_book.store.imports import ImportStore
from advisor_book.store.ingest import IngestStore
from local.harness import template
from local.harness.emulator_process import emulator_process, reset
from local.harness.events import ADMIN_CLAIMS, api_event
from local.harness.iam import Deployment, RoleAudit
from local.harness.provision import provision
from local.harness.runtime import LambdaContext, load_handler

ROOT = Path(__file__).resolve().parent.parent
DEPLOYMENT = Deployment()
REGION = DEPLOYMENT.region
# The name a deployment gives the bucket: the ingest role's statement names it that way.
BUCKET = DEPLOYMENT.bucket_name("SeedBucket")
# The local stack's name for it, which stands for the deployed one.
LOCAL_BUCKET = "advisor-book-seed"


@pytest.fixture(scope="session")
def emulator_url() -> Iterator[str]:
    """moto server in a process of its own, for tests whose code under test runs in other
    processes (function instances, a measured child)."""
    with emulator_process() as url:
        yield url


@pytest.fixture
def emulated(emulator_url: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Everything template.yaml declares, created in the emulator process (reset first), with
    this process and the ones it starts pointed at it; logical id -> what !Ref gives."""
    reset(emulator_url)
    for name, value in {
        "AWS_ENDPOINT_URL": emulator_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "POWERTOOLS_METRICS_DISABLED": "true",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    return provision(LOCAL_BUCKET)


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A fresh moto account for each test, with credentials that could never reach AWS."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        yield


@pytest.fixture
def resources(aws: None) -> dict[str, str]:
    """Everything template.yaml declares, created in moto; logical id -> what !Ref gives."""
    return provision(BUCKET)


@pytest.fixture
def table(resources: dict[str, str]) -> str:
    return resources["BookTable"]


@pytest.fixture
def cursor_secret(resources: dict[str, str]) -> str:
    return resources["CursorSecret"]


@pytest.fixture
def seed_bucket(resources: dict[str, str]) -> str:
    return resources["SeedBucket"]


@dataclass(frozen=True)
class Stores:
    """Every store of the book over the tests' table, as the functions build them."""

    table: Table
    directory: DirectoryStore
    book: BookStore
    assignments: AssignmentStore
    ingest: IngestStore
    imports: ImportStore

    @classmethod
    def over(cls, table: Table) -> "Stores":
        return cls(
            table,
            DirectoryStore(table),
            BookStore(table),
            AssignmentStore(table),
            IngestStore(table),
            ImportStore(table),
        )


@pytest.fixture
def stores(table: str) -> Stores:
    return Stores.over(Table(boto3.client("dynamodb"), table))


def stream_of(document: Any) -> Any:
    import io

    return io.BytesIO(
        json.dumps(document).encode() if not isinstance(document, bytes) else document
    )


class LambdaTime:
    """A Lambda context's remaining time, scripted: plenty, or a budget of calls."""

    def __init__(self, calls_before_low: int | None = None) -> None:
        self.calls_left = calls_before_low

    def remaining_ms(self) -> int:
        if self.calls_left is None:
            return 900_000
        self.calls_left -= 1
        return 900_000 if self.calls_left >= 0 else 1_000


@pytest.fixture
def load_seed(stores: Stores) -> Callable[[Any], ImportStatus]:
    """Import a seed document (a dict, or raw bytes) through the real streaming ingest, as a
    new S3 object each time."""

    def load(document: Any) -> ImportStatus:
        job = importer.ImportJob(bucket=BUCKET, key=f"seed-{uuid.uuid4().hex}.json", version="v1")
        return importer.run_import(
            stores.imports,
            stores.ingest,
            job,
            lambda: stream_of(document),
            owner="test",
            remaining_ms=LambdaTime().remaining_ms,
            continue_later=lambda _: None,
        )

    return load


@pytest.fixture
def seeded(load_seed: Callable[[Any], ImportStatus]) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((ROOT / "data.json").read_text())
    assert load_seed(document).status == "SUCCEEDED"
    return document


@dataclass
class HttpResponse:
    status: int
    headers: dict[str, str]
    body: Any


@pytest.fixture
def role_audit(resources: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[RoleAudit]:
    """Every AWS call a handler makes is checked against its own role in template.yaml (the
    emulator enforces no IAM) and refused as AWS would refuse it; the test then fails here
    with what was missing, even if the handler answered a 500 or swallowed the error."""
    audit = RoleAudit(DEPLOYMENT, resources)
    monkeypatch.setattr(BaseClient, "_make_api_call", audit.api_call())
    yield audit
    assert [str(denial) for denial in audit.denied] == []


@pytest.fixture
def functions(
    resources: dict[str, str], role_audit: RoleAudit, monkeypatch: pytest.MonkeyPatch
) -> Callable[[str], Callable[[dict[str, Any]], Any]]:
    """Load a function's handler (once per test) with its environment from the template, and
    call it with its role audited."""
    refs = resources
    for function in template.functions().values():
        for name in function.resolved_environment(refs):
            monkeypatch.delenv(name, raising=False)
    loaded: dict[str, Callable[[dict[str, Any], Any], Any]] = {}

    def get(logical_id: str) -> Callable[[dict[str, Any]], Any]:
        if logical_id not in loaded:
            function = template.functions()[logical_id]
            for name, value in function.resolved_environment(refs).items():
                monkeypatch.setenv(name, value)
            loaded[logical_id] = load_handler(logical_id, refs)[1]
        handler = loaded[logical_id]
        function = template.functions()[logical_id]

        def invoke(event: dict[str, Any]) -> Any:
            context = LambdaContext(
                function_name=logical_id,
                memory_limit_in_mb=function.memory_mb,
                timeout_seconds=function.timeout_seconds,
            )
            with role_audit.acting_as(logical_id):
                return handler(event, context)

        return invoke

    return get


ROUTES = {(r.method, r.path): r.function for r in template.routes()}


@pytest.fixture
def api(functions: Callable[[str], Callable[[dict[str, Any]], Any]]) -> Callable[..., HttpResponse]:
    """Call a route of the template through its function, as API Gateway would, as the admin
    unless `claims` says who (None: a request that carries no identity)."""

    def call(
        method: str,
        resource: str,
        *,
        query: dict[str, str | list[str]] | None = None,
        body: Any = None,
        raw_body: str | None = None,
        claims: dict[str, Any] | None = ADMIN_CLAIMS,
        **path_parameters: str,
    ) -> HttpResponse:
        multi = {k: v if isinstance(v, list) else [v] for k, v in (query or {}).items()}
        text = (
            raw_body if raw_body is not None else (json.dumps(body) if body is not None else None)
        )
        headers = {"Content-Type": ["application/json"]} if text is not None else {}
        event = api_event(
            method,
            resource,
            path_parameters=path_parameters,
            query=multi,
            headers=headers,
            body=text,
            claims=claims,
        )
        response = functions(ROUTES[(method, resource)])(event)
        payload = response.get("body")
        return HttpResponse(
            status=response["statusCode"],
            headers=response.get("headers") or {},
            body=json.loads(payload) if payload else None,
        )

    return call
