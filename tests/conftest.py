"""Fixtures shared by every test: AWS under moto, the table built from template.yaml, the
handlers loaded as Lambda loads them, and the seed data imported through the real ingest.
"""

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from advisor_book import ingest
from advisor_book.repository import BookRepository
from local import template
from local.events import api_event
from local.invoke import LambdaContext, load_handler

ROOT = Path(__file__).resolve().parent.parent
TABLE = "advisor-book-test"
BUCKET = "advisor-book-seed"
REGION = "us-east-1"


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
def table(aws: None) -> str:
    boto3.client("dynamodb").create_table(**template.table_definition(TABLE))
    return TABLE


@pytest.fixture
def cursor_secret(aws: None) -> str:
    secret = boto3.client("secretsmanager").create_secret(
        Name="advisor-book-cursor-key", SecretString="a-test-signing-key-that-is-long-enough-0123"
    )
    return secret["ARN"]


@pytest.fixture
def seed_bucket(aws: None) -> str:
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    return BUCKET


@pytest.fixture
def repo(table: str) -> BookRepository:
    return BookRepository(boto3.client("dynamodb"), table)


def stream_of(document: Any) -> Any:
    import io

    return io.BytesIO(
        json.dumps(document).encode() if not isinstance(document, bytes) else document
    )


@pytest.fixture
def load_seed(repo: BookRepository) -> Callable[[Any], ingest.ImportReport]:
    """Import a seed document (a dict, or raw bytes) through the real streaming ingest."""

    def load(document: Any) -> ingest.ImportReport:
        return ingest.run_import(repo, lambda: stream_of(document))

    return load


@pytest.fixture
def seeded(load_seed: Callable[[Any], ingest.ImportReport]) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((ROOT / "data.json").read_text())
    report = load_seed(document)
    assert report.rejected == 0
    assert report.failure is None
    return document


@dataclass
class HttpResponse:
    status: int
    headers: dict[str, str]
    body: Any


@pytest.fixture
def functions(
    table: str, cursor_secret: str, seed_bucket: str, monkeypatch: pytest.MonkeyPatch
) -> Callable[[str], Callable[[dict[str, Any]], Any]]:
    """Load a function's handler (once per test) with its environment from the template."""
    refs = {"BookTable": table, "CursorSecret": cursor_secret, "SeedBucket": seed_bucket}
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
        return lambda event: handler(event, LambdaContext(function_name=logical_id))

    return get


ROUTES = {(r.method, r.path): r.function for r in template.routes()}


@pytest.fixture
def api(functions: Callable[[str], Callable[[dict[str, Any]], Any]]) -> Callable[..., HttpResponse]:
    """Call a route of the template through its function, as API Gateway would."""

    def call(
        method: str,
        resource: str,
        *,
        query: dict[str, str | list[str]] | None = None,
        body: Any = None,
        raw_body: str | None = None,
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
        )
        response = functions(ROUTES[(method, resource)])(event)
        payload = response.get("body")
        return HttpResponse(
            status=response["statusCode"],
            headers=response.get("headers") or {},
            body=json.loads(payload) if payload else None,
        )

    return call
