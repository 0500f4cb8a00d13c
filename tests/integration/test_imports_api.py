"""GET /imports and GET /imports/{import_id}."""

import io
import itertools
import json
from collections.abc import Callable
from typing import Any

from advisor_book.import_reports import ImportStatus
from advisor_book.imports import import_id_for
from advisor_book.ingest import importer
from tests.conftest import HttpResponse, LambdaTime, Stores

Api = Callable[..., HttpResponse]


def run(stores: Stores, key: str, version: str, document: Any) -> ImportStatus:
    payload = json.dumps(document).encode()
    return importer.run_import(
        stores.imports,
        stores.ingest,
        importer.ImportJob(bucket="advisor-book-seed", key=key, version=version),
        lambda: io.BytesIO(payload),
        owner="test",
        remaining_ms=LambdaTime().remaining_ms,
        continue_later=lambda _: None,
        clock=itertools.count().__next__,  # a second of work at each reading
    )


def test_an_import_is_served_with_its_report(api: Api, stores: Stores) -> None:
    status = run(
        stores,
        "exports/book.json",
        "v1",
        {
            "clients": [
                {
                    "id": "c-1",
                    "first_name": "A",
                    "last_name": "B",
                    "accounts": [{"type": "IRA", "value": -1}],
                },
                {"id": "c-2", "first_name": "C", "last_name": "D", "accounts": []},
            ]
        },
    )

    response = api("GET", "/imports/{import_id}", import_id=status.import_id)

    assert response.status == 200
    body = response.body
    assert body["import_id"] == import_id_for("advisor-book-seed", "exports/book.json", "v1")
    assert (body["bucket"], body["key"], body["status"]) == (
        "advisor-book-seed",
        "exports/book.json",
        "PARTIAL",
    )
    assert (body["advisors_upserted"], body["clients_upserted"], body["rejected"]) == (0, 1, 1)
    assert body["errors"][0]["path"] == "clients[0].accounts[0].value"
    assert (body["records_done"], body["records_total"]) == (2, 2)
    assert type(body["records_per_second"]) is int

    assert body["started_at"].endswith("Z")
    assert body["finished_at"].endswith("Z")


def test_imports_are_listed_newest_first_and_filtered_by_key(api: Api, stores: Stores) -> None:
    empty: dict[str, Any] = {"clients": []}
    first = run(stores, "a.json", "v1", empty)
    second = run(stores, "b.json", "v1", empty)
    third = run(stores, "a.json", "v2", empty)

    everything = api("GET", "/imports").body["items"]
    only_a = api("GET", "/imports", query={"key": "a.json"}).body["items"]

    assert [i["import_id"] for i in everything] == [
        third.import_id,
        second.import_id,
        first.import_id,
    ]
    assert [i["import_id"] for i in only_a] == [third.import_id, first.import_id]


def test_imports_paginate_with_a_token_bound_to_the_key_filter(api: Api, stores: Stores) -> None:
    for version in ("v1", "v2", "v3"):
        run(stores, "a.json", version, {"clients": []})

    first = api("GET", "/imports", query={"key": "a.json", "limit": "2"})
    token = first.body["next_token"]
    rest = api("GET", "/imports", query={"key": "a.json", "limit": "2", "next_token": token})
    elsewhere = api("GET", "/imports", query={"key": "b.json", "limit": "2", "next_token": token})

    assert len(first.body["items"]) == 2
    assert len(rest.body["items"]) == 1
    assert rest.body["next_token"] is None
    assert elsewhere.status == 400
    assert elsewhere.body["error"]["code"] == "bad_request"


def test_unknown_import_is_not_found(api: Api, stores: Stores) -> None:
    response = api("GET", "/imports/{import_id}", import_id="imp-" + "0" * 24)

    assert response.status == 404
    assert response.body["error"]["code"] == "not_found"


def test_malformed_import_id_is_a_validation_error(api: Api, stores: Stores) -> None:
    response = api("GET", "/imports/{import_id}", import_id="not-an-import")

    assert response.status == 422


def test_invalid_limit_is_a_validation_error(api: Api, stores: Stores) -> None:
    response = api("GET", "/imports", query={"limit": "-1"})

    assert response.status == 422
