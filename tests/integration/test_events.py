"""The sample events in events/ are current and each one is served by its function."""

import json
from collections.abc import Callable
from typing import Any

import boto3
import pytest

from local.harness import template
from local.tools.sample_events import EVENTS, SAMPLE_BUCKET, render, samples
from tests.conftest import ROOT

SAMPLES = samples()

pytestmark = pytest.mark.shared_book

Functions = Callable[[str], Callable[[dict[str, Any]], Any]]
ROUTES = {(r.method, r.path): r.function for r in template.operations()}
API_SAMPLES = sorted(name for name, event in SAMPLES.items() if "httpMethod" in event)
EXPECTED_STATUS = {"unassign_advisor.json": 204, "get_import.json": 404}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_committed_event_matches_its_builder(name: str) -> None:
    assert (EVENTS / name).read_text() == render(SAMPLES[name]), "run `make events`"


def test_every_committed_event_has_a_builder() -> None:
    assert {p.name for p in EVENTS.glob("*.json")} == set(SAMPLES)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            name, marks=[pytest.mark.writes] if SAMPLES[name]["httpMethod"] != "GET" else []
        )
        for name in API_SAMPLES
    ],
)
def test_api_event_is_served_by_its_function(
    functions: Functions, seeded: dict[str, Any], name: str
) -> None:
    event = json.loads((EVENTS / name).read_text())

    response = functions(ROUTES[(event["httpMethod"], event["resource"])])(event)

    assert response["statusCode"] == EXPECTED_STATUS.get(name, 200)


def test_every_route_has_a_sample_event() -> None:
    covered = {(SAMPLES[n]["httpMethod"], SAMPLES[n]["resource"]) for n in API_SAMPLES}

    assert covered == set(ROUTES)


@pytest.mark.writes
def test_s3_event_imports_the_seed_file_it_names(functions: Functions, seed_bucket: str) -> None:
    """The sample names the local stack's bucket; here the bucket has its deployed name, the
    only one the ingest role may read."""
    event = json.loads((EVENTS / "s3_seed_uploaded.json").read_text())
    record = event["Records"][0]["s3"]
    assert record["bucket"]["name"] == SAMPLE_BUCKET
    record["bucket"] = {
        **record["bucket"],
        "name": seed_bucket,
        "arn": f"arn:aws:s3:::{seed_bucket}",
    }
    boto3.client("s3").put_object(
        Bucket=seed_bucket,
        Key=record["object"]["key"],
        Body=(ROOT / "data.json").read_bytes(),
    )

    result = functions("IngestFunction")(event)

    assert [i["status"] for i in result["imports"]] == ["SUCCEEDED"]
