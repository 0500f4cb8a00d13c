"""Fixtures shared by every test: AWS under moto, the resources of template.yaml, the handlers
loaded as Lambda loads them, and the seed data imported through the real ingest.

Each test gets a moto account of its own, holding what the template declares but its user pool
(only the local stack's gateway verifies tokens; here the tests hand the handlers their claims).
The tests of a module marked `shared_book` share one account instead, built once for the module
(its `book_arrangement` on top of data.json); a test there that changes anything must be marked
`writes`, and the book is built again after it.
"""

import io
import json
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from botocore.client import BaseClient
from moto import mock_aws
from moto.core.config import DefaultConfig
from moto.core.models import MockAWS

from advisor_book import config
from advisor_book.import_reports import ImportStatus
from advisor_book.ingest import importer
from advisor_book.models import Actor
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

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import WriteRequestTypeDef

ROOT = Path(__file__).resolve().parent.parent
DEPLOYMENT = Deployment()
REGION = DEPLOYMENT.region
# The name a deployment gives the bucket: the ingest role's statement names it that way.
BUCKET = DEPLOYMENT.bucket_name("SeedBucket")
# Who the tests' own arrangements act as, when they change the book without the API.
ARRANGER = Actor(type="user", id="arranger", role="admin")
# The local stack's name for it, which stands for the deployed one.
LOCAL_BUCKET = "advisor-book-seed"
# moto starts a new boto3 session for each account unless told not to, and a client of a new
# session loads its service's model again (a fifth of a second for DynamoDB's).
MOTO_CONFIG: DefaultConfig = {"core": {"reset_boto3_session": False}}
# Requests that change nothing in AWS, by the start of their operation's name.
READS = ("Get", "List", "Describe", "Query", "Scan", "BatchGet", "TransactGet", "Head")


@pytest.fixture(scope="session")
def boto3_session() -> None:
    """One default boto3 session for the whole run, with credentials that could never reach
    AWS, whatever the environment holds."""
    boto3.setup_default_session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION
    )


@pytest.fixture(scope="session")
def emulator_url() -> Iterator[str]:
    """moto server in a process of its own, for tests whose code under test runs in other
    processes (function instances, a measured child)."""
    with emulator_process() as url:
        yield url


@pytest.fixture
def emulated(
    emulator_url: str, boto3_session: None, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """The template's resources (but its user pool), created in the emulator process (reset
    first), with this process and the ones it starts pointed at it; logical id -> what !Ref
    gives."""
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
    return provision(LOCAL_BUCKET, user_pools=False)


# --- moto accounts: the test's own, or its module's shared book ----------------------------


@contextmanager
def moto_account() -> Iterator[MockAWS]:
    """An empty moto account until the block ends, this process's environment holding
    credentials that could never reach AWS; yields moto's mock (`reset()` empties it)."""
    with pytest.MonkeyPatch.context() as environment:
        for name, value in {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "testing",
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
        }.items():
            environment.setenv(name, value)
        with mock_aws(config=MOTO_CONFIG) as account:
            yield account


def in_shared_book(request: pytest.FixtureRequest) -> bool:
    return request.node.get_closest_marker("shared_book") is not None


class SharedBook:
    """A shared_book module's account: the template's resources (but its user pool), data.json
    and the module's `book_arrangement`, built once for all the module's tests and again after
    each test that changed it."""

    def __init__(
        self, account: MockAWS, seed: "Seed", arrangement: Callable[["Stores"], None]
    ) -> None:
        self._account = account
        self._seed = seed
        self._arrangement = arrangement
        self.build()

    def build(self) -> None:
        self._account.reset()
        self.resources = provision(BUCKET, user_pools=False)
        self._seed.into(self.resources["BookTable"])
        self._arrangement(Stores.over(Table(boto3.client("dynamodb"), self.resources["BookTable"])))


@pytest.fixture(scope="module")
def book_arrangement() -> Callable[["Stores"], None]:
    """What a shared_book module's book holds beyond data.json (a module overrides it)."""
    return lambda _stores: None


@pytest.fixture(scope="module")
def shared_book(
    boto3_session: None, seed: "Seed", book_arrangement: Callable[["Stores"], None]
) -> Iterator[SharedBook]:
    with moto_account() as account:
        yield SharedBook(account, seed, book_arrangement)


class WriteWatch:
    """The requests that may change something (all but reads), made while it is installed."""

    def __init__(self) -> None:
        self.writes: list[str] = []

    def api_call(self) -> Callable[..., Any]:
        """A stand-in for botocore's `BaseClient._make_api_call` that notes each write."""
        call = BaseClient._make_api_call  # type: ignore[attr-defined]  # private: no stubs

        def watched(client: BaseClient, operation: str, params: dict[str, Any]) -> Any:
            if not operation.startswith(READS):
                self.writes.append(f"{client.meta.service_model.service_name}:{operation}")
            return call(client, operation, params)

        return watched


@pytest.fixture
def aws(request: pytest.FixtureRequest, boto3_session: None) -> Iterator[None]:
    """The test's moto account: a fresh one, or its shared_book module's."""
    if in_shared_book(request):
        request.getfixturevalue("shared_book")
        yield
        return
    with moto_account():
        yield


@pytest.fixture
def resources(
    request: pytest.FixtureRequest, aws: None, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, str]]:
    """The template's resources (but its user pool) in the test's account; logical id -> what
    !Ref gives. In a shared_book module, a test not marked `writes` that makes a request that
    may change something (it, or its fixtures) fails; the book is built again after it."""
    if not in_shared_book(request):
        yield provision(BUCKET, user_pools=False)
        return
    book: SharedBook = request.getfixturevalue("shared_book")
    if request.node.get_closest_marker("writes"):
        yield book.resources
        book.build()
        return
    watch = WriteWatch()
    monkeypatch.setattr(BaseClient, "_make_api_call", watch.api_call())
    yield book.resources
    if writes := list(watch.writes):
        book.build()
        pytest.fail(f"a test of a shared_book module not marked `writes` made {writes}")


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


# --- seed data -----------------------------------------------------------------------------


def stream_of(document: Any) -> Any:
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


def import_document(stores: Stores, document: Any) -> ImportStatus:
    """Import a seed document (a dict, or raw bytes) through the real streaming ingest, as a
    new S3 object."""
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


class Seed:
    """data.json as the real ingest imports it: into the first table of the run that asks for
    it; every later table gets a copy of the items that import wrote, the same book for a
    fraction of the requests."""

    TEXT = (ROOT / "data.json").read_text()

    def __init__(self) -> None:
        self._items: list[Any] | None = None

    @classmethod
    def document(cls) -> dict[str, Any]:
        """data.json, a copy of its own to read or change."""
        document: dict[str, Any] = json.loads(cls.TEXT)
        return document

    def into(self, table: str) -> None:
        db = boto3.client("dynamodb")
        if self._items is None:
            status = import_document(Stores.over(Table(db, table)), self.document())
            assert status.status == "SUCCEEDED"
            pages = db.get_paginator("scan").paginate(TableName=table)
            self._items = [item for page in pages for item in page["Items"]]
            return
        for start in range(0, len(self._items), 25):
            batch: list[WriteRequestTypeDef] = [
                {"PutRequest": {"Item": item}} for item in self._items[start : start + 25]
            ]
            assert not db.batch_write_item(RequestItems={table: batch})["UnprocessedItems"]


@pytest.fixture(scope="session")
def seed() -> Seed:
    return Seed()


@pytest.fixture
def load_seed(stores: Stores) -> Callable[[Any], ImportStatus]:
    """Import a seed document (a dict, or raw bytes) through the real streaming ingest, as a
    new S3 object each time."""
    return lambda document: import_document(stores, document)


@pytest.fixture
def seeded(request: pytest.FixtureRequest, table: str, seed: Seed) -> dict[str, Any]:
    """data.json, imported into the test's table (in a shared_book module, it is there)."""
    if not in_shared_book(request):
        seed.into(table)
    return seed.document()


# --- the functions, as Lambda and API Gateway run them ---------------------------------------


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
        for name in function.environment:
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


@contextmanager
def dynamodb_requests() -> Iterator[list[str]]:
    """The DynamoDB requests the functions' clients send while the block runs (clients built
    inside it: a function's first call builds them)."""
    sent: list[str] = []

    def note(**event: Any) -> None:
        sent.append(event["event_name"].split(".")[-1])

    config.session().register("before-send.dynamodb", note)
    try:
        yield sent
    finally:
        config.session().unregister("before-send.dynamodb", note)


@pytest.fixture
def api(functions: Callable[[str], Callable[[dict[str, Any]], Any]]) -> Callable[..., HttpResponse]:
    """Call a route of the template through its function, as API Gateway would, as the admin
    unless `claims` says who (None: a request that carries no identity), with any `headers`."""

    def call(
        method: str,
        resource: str,
        *,
        query: dict[str, str | list[str]] | None = None,
        body: Any = None,
        raw_body: str | None = None,
        claims: dict[str, Any] | None = ADMIN_CLAIMS,
        headers: dict[str, str] | None = None,
        **path_parameters: str,
    ) -> HttpResponse:
        multi = {k: v if isinstance(v, list) else [v] for k, v in (query or {}).items()}
        text = (
            raw_body if raw_body is not None else (json.dumps(body) if body is not None else None)
        )
        sent = {"Content-Type": ["application/json"]} if text is not None else {}
        sent.update({name: [value] for name, value in (headers or {}).items()})
        event = api_event(
            method,
            resource,
            path_parameters=path_parameters,
            query=multi,
            headers=sent,
            body=text,
            claims=claims,
        )
        response = functions(ROUTES[(method, resource)])(event)
        payload = response.get("body")
        return HttpResponse(
            status=response["statusCode"],
            headers={
                **(response.get("headers") or {}),
                **{k: v[-1] for k, v in (response.get("multiValueHeaders") or {}).items()},
            },
            body=json.loads(payload) if payload else None,
        )

    return call
