"""End to end over HTTP: the local stack serves the template's API and imports S3 uploads."""

import ctypes
import json
import os
import signal
import sys
import time
from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.e2e.conftest import LocalStack, free_port, start_stack

pytestmark = pytest.mark.usefixtures("invariants_checked")

SEED = json.loads((ROOT / "data.json").read_text())


def test_ready_stack_lists_the_available_advisors_of_data_json(stack: LocalStack) -> None:
    expected = sorted(
        a["id"] for a in SEED["financial_advisors"] if a.get("accepting_new_clients", True)
    )

    reply = stack.request("GET", "/advisors?limit=100")

    assert reply.status == 200
    assert reply.headers["Content-Type"].startswith("application/json")
    assert [a["advisor_id"] for a in reply.body["items"]] == expected


def test_the_banner_gives_commands_that_reach_this_stack(stack: LocalStack) -> None:
    printed = "".join(stack.output)
    banner = printed[printed.index("advisor-book is running locally") : printed.index("ready:")]
    port = stack.aws_url.rsplit(":", 1)[1]

    assert f"\n  LOCAL_AWS_PORT={port} make import FILE=my-book.json\n" in banner
    assert f"`LOCAL_AWS_PORT={port} make token`" in banner
    assert "ANY" not in banner


def test_data_json_import_is_reported(stack: LocalStack) -> None:

    imported = stack.wait_for_import("data.json")

    assert imported["status"] == "SUCCEEDED"
    assert imported["advisors_upserted"] == len(SEED["financial_advisors"])
    assert imported["clients_upserted"] == len(SEED["clients"])
    assert stack.request("GET", f"/imports/{imported['import_id']}").body == imported


def test_an_upload_by_any_s3_client_is_imported(stack: LocalStack) -> None:
    document: dict[str, Any] = {
        "financial_advisors": [
            {
                "id": "adv-e2e",
                "name": "Ada Lovelace",
                "focus_areas": ["Estate Planning"],
                "capacity": 2,
            }
        ],
        "clients": [
            {
                "id": "cli-e2e-1",
                "first_name": "Grace",
                "last_name": "Hopper",
                "accounts": [{"type": "IRA", "value": 1000.10}, {"type": "Trust", "value": 2.05}],
            }
        ],
    }
    key = "uploads/book 2026.json"
    stack.s3().put_object(Bucket=stack.bucket, Key=key, Body=json.dumps(document).encode())

    imported = stack.wait_for_import("uploads/book%202026.json")

    assert (imported["status"], imported["key"]) == ("SUCCEEDED", key)
    client = stack.request("GET", "/clients/cli-e2e-1").body
    assert client["total_value"] == "1002.15"
    assert stack.request("GET", "/advisors/adv-e2e").body["capacity"] == 2


def test_a_bad_upload_fails_with_its_reason_and_changes_nothing(stack: LocalStack) -> None:
    before = stack.request("GET", "/advisors/adv-001").body
    stack.s3().put_object(Bucket=stack.bucket, Key="broken.json", Body=b'{"financial_advisors": [')

    imported = stack.wait_for_import("broken.json")

    assert imported["status"] == "FAILED"
    assert imported["errors"][0]["path"] == "$"
    assert stack.request("GET", "/advisors/adv-001").body == before


def test_uploads_outside_the_trigger_filter_are_not_imported(stack: LocalStack) -> None:
    stack.s3().put_object(Bucket=stack.bucket, Key="notes.txt", Body=b"not a seed file")
    stack.s3().put_object(Bucket=stack.bucket, Key="after-notes.json", Body=b'{"clients": []}')

    stack.wait_for_import("after-notes.json")

    assert stack.request("GET", "/imports?key=notes.txt").body["items"] == []


def clients_only(prefix: str, count: int) -> bytes:
    clients = [
        {
            "id": f"{prefix}-{n}",
            "first_name": "Version",
            "last_name": f"Number {n}",
            "accounts": [{"type": "IRA", "value": n}],
        }
        for n in range(count)
    ]
    return json.dumps({"financial_advisors": [], "clients": clients}).encode()


def test_a_file_overwritten_before_its_event_is_read_is_imported_as_itself(
    stack: LocalStack,
) -> None:
    """S3 names the version in each event of a versioned bucket: two uploads to one key are
    two imports, each of its own bytes, even when the second lands before the first is read."""
    s3 = stack.s3()
    key = "versions/book.json"
    # Events are delivered one at a time: while this one is imported, both uploads below land.
    s3.put_object(
        Bucket=stack.bucket, Key="versions/busy.json", Body=clients_only("cli-busy", 3000)
    )
    s3.put_object(Bucket=stack.bucket, Key=key, Body=clients_only("cli-first", 2))
    s3.put_object(Bucket=stack.bucket, Key=key, Body=clients_only("cli-second", 3))

    deadline = time.monotonic() + 300
    imports: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        imports = stack.request("GET", f"/imports?key={key}").body["items"]
        if len(imports) == 2 and all(i["status"] != "IN_PROGRESS" for i in imports):
            break
        time.sleep(0.2)

    assert len({i["import_id"] for i in imports}) == 2
    assert sorted((i["status"], i["clients_upserted"]) for i in imports) == [
        ("SUCCEEDED", 2),
        ("SUCCEEDED", 3),
    ]
    assert stack.request("GET", "/clients/cli-first-1").status == 200
    assert stack.request("GET", "/clients/cli-second-2").status == 200


def test_assign_reassign_and_unassign_over_http(stack: LocalStack) -> None:
    assigned = stack.request("PUT", "/clients/cli-0030/advisor", {"advisor_id": "adv-008"})
    moved = stack.request("PUT", "/clients/cli-0030/advisor", {"advisor_id": "adv-013"})
    book = stack.request("GET", "/advisors/adv-013/clients").body
    removed = stack.request("DELETE", "/clients/cli-0030/advisor")

    assert assigned.status == 200
    assert moved.status == 200
    assert moved.body["previous_advisor_id"] == "adv-008"
    assert "cli-0030" in [c["client_id"] for c in book["items"]]
    total = stack.request("GET", "/clients/cli-0030").body["total_value"]
    assert [c["total_value"] for c in book["items"] if c["client_id"] == "cli-0030"] == [total]
    assert removed.status == 204
    assert removed.body is None
    assert stack.request("GET", "/clients/cli-0030").body["advisor_id"] is None


def test_contract_errors_over_http(stack: LocalStack) -> None:
    unknown_route = stack.request("GET", "/no/such/route")
    wrong_method = stack.request("POST", "/advisors")
    bad_json = stack.request("PUT", "/clients/cli-0031/advisor", raw=b"{nope")
    unknown_client = stack.request("GET", "/clients/cli-does-not-exist")
    full = [
        stack.request("PUT", f"/clients/cli-00{n}/advisor", {"advisor_id": "adv-003"})
        for n in (40, 41, 42, 43)
    ]

    assert (unknown_route.status, unknown_route.body["error"]["code"]) == (404, "not_found")
    assert (wrong_method.status, wrong_method.body["error"]["code"]) == (405, "method_not_allowed")
    assert wrong_method.headers["Allow"] == "GET"
    assert (bad_json.status, bad_json.body["error"]["code"]) == (422, "validation_error")
    assert (unknown_client.status, unknown_client.body["error"]["code"]) == (404, "not_found")
    assert [r.status for r in full] == [200, 200, 200, 409]


def test_query_strings_reach_the_handler_decoded(stack: LocalStack) -> None:
    reply = stack.request("GET", "/advisors?focus_area=Tax%20Planning&limit=3")

    assert reply.status == 200
    assert len(reply.body["items"]) == 3
    assert all("Tax Planning" in a["focus_areas"] for a in reply.body["items"])


def test_a_repeated_single_value_parameter_is_a_validation_error(stack: LocalStack) -> None:
    reply = stack.request("GET", "/advisors?limit=2&limit=3")

    assert reply.status == 422
    assert reply.body["error"]["details"][0]["location"] == ["query", "limit"]


def test_money_stays_exact_over_http(stack: LocalStack) -> None:
    record = max(SEED["clients"], key=lambda c: len(c["accounts"]))

    body = stack.request("GET", f"/clients/{record['id']}").body

    assert Decimal(body["total_value"]) == sum(Decimal(str(a["value"])) for a in record["accounts"])


def interrupt_a_worker_thread(stack: LocalStack) -> None:
    """SIGINT to one of the stack's threads other than its main one, as the kernel may deliver
    a signal sent to the process (on Linux; elsewhere, to the process)."""
    pid = stack.process.pid
    if sys.platform != "linux":
        os.kill(pid, signal.SIGINT)
        return
    thread = next(int(t) for t in sorted(os.listdir(f"/proc/{pid}/task")) if int(t) != pid)
    assert ctypes.CDLL(None, use_errno=True).tgkill(pid, thread, signal.SIGINT) == 0


def test_interrupt_stops_everything_and_the_ports_can_be_reused() -> None:
    api_port, aws_port = free_port(), free_port()
    first = start_stack(api_port, aws_port)

    try:
        interrupt_a_worker_thread(first)
        assert first.process.wait(timeout=120) == 0
    finally:
        assert first.stop() == 0
    second = start_stack(api_port, aws_port)
    try:
        assert second.request("GET", "/advisors").status == 200
    finally:
        assert second.stop() == 0
