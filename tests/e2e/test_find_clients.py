"""Finding clients over HTTP against the local stack: a client uploaded with an accented name is
found among the unassigned by its name written without accents, and leaves them once assigned.

The stack is one of its own: the uploaded client would change what the shared stack's listings
hold.
"""

import json
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from tests.e2e.conftest import LocalStack, free_port, start_stack


@pytest.fixture(scope="module")
def own_stack() -> Iterator[LocalStack]:
    running = start_stack(free_port(), free_port())
    yield running
    assert running.stop() == 0


def found(stack: LocalStack, user: str = "admin", **query: str) -> dict[str, str | None]:
    """client id -> advisor id of the clients the query finds, page after page."""
    clients: dict[str, str | None] = {}
    token: str | None = None
    for _ in range(100):
        page = {**query, "limit": "10", **({"next_token": token} if token else {})}
        reply = stack.request("GET", f"/clients?{urlencode(page)}", user=user)
        assert reply.status == 200, reply.body
        clients |= {item["client_id"]: item["advisor_id"] for item in reply.body["items"]}
        token = reply.body["next_token"]
        if token is None:
            return clients
    raise AssertionError("the listing never ended")


def test_an_unassigned_client_found_by_an_accented_name_leaves_the_unassigned_once_assigned(
    own_stack: LocalStack,
) -> None:
    document = {
        "financial_advisors": [],
        "clients": [
            {
                "id": "cli-e2e-0001",
                "first_name": "Zoë",
                "last_name": "Núñez Ñandú",
                "accounts": [{"id": "acc-e2e-0001", "type": "IRA", "value": 2500.75}],
            }
        ],
    }
    own_stack.s3().put_object(
        Bucket=own_stack.bucket, Key="accented.json", Body=json.dumps(document).encode()
    )
    assert own_stack.wait_for_import("accented.json", within=120)["status"] == "SUCCEEDED"

    assert found(own_stack, unassigned="true", name="NUNEZ") == {"cli-e2e-0001": None}
    assert found(own_stack, name="zoe") == {"cli-e2e-0001": None}
    assigned = own_stack.request("PUT", "/clients/cli-e2e-0001/advisor", {"advisor_id": "adv-001"})
    assert assigned.status == 200, assigned.body

    assert found(own_stack, unassigned="true", name="nunez") == {}
    assert found(own_stack, name="núñez ñan") == {"cli-e2e-0001": "adv-001"}
    assert found(own_stack, user="adv-001", name="Zoë") == {"cli-e2e-0001": "adv-001"}
    assert found(own_stack, user="adv-002", name="zoe") == {}
    assert own_stack.broken_invariants() == []
