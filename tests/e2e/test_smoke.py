"""The smoke tests: a few requests that prove a stack serves the API, safe to run against a
deployed one (reads, 401 without a token, the OpenAPI document, and an assignment undone).

`make test` runs them against the local stack. `make smoke` runs them against a deployed stack:

    make smoke ENV=dev                        # the stack of a samconfig.toml environment
    make smoke STACK=my-stack                 # a stack by name
    make smoke URL=https://.../dev TOKEN=...  # any API, with an admin's ID token

With ENV or STACK, the API URL, the user pool and its app client come from the stack's outputs
(AWS credentials and region as for the aws command line); the user `smoke-admin` (group admin)
is created if missing, given a fresh random password and signed in (ADMIN_USER_PASSWORD_AUTH).
The assignment uses the client SMOKE_CLIENT_ID (default cli-0001, from data.json).
"""

import json
import os
import secrets
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import boto3
import pytest

from local import deployed
from tests.e2e.conftest import REQUEST_TIMEOUT, LocalStack, Reply

SMOKE_USER = "smoke-admin"
ADMIN_GROUP = "admin"
CLIENT_ID = os.environ.get("SMOKE_CLIENT_ID", "cli-0001")


@dataclass(frozen=True)
class Target:
    """An API and an admin's ID token for it."""

    api_url: str
    token: str

    def request(self, method: str, path: str, body: Any = None, *, signed: bool = True) -> Reply:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.api_url + path, data=data, method=method)  # noqa: S310
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if signed:
            request.add_header("Authorization", self.token)
        try:
            with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:  # noqa: S310
                payload, status = response.read(), response.status
                headers = dict(response.headers)
        except urllib.error.HTTPError as error:
            payload, status, headers = error.read(), error.code, dict(error.headers)
        return Reply(status, headers, json.loads(payload) if payload else None)


def signed_in_admin(pool_id: str, client_id: str) -> str:
    """An ID token of the smoke admin, made (or given a new password) for this run."""
    cognito = boto3.client("cognito-idp")
    # Meets the pool's policy: 12+ characters with lower and upper case and a digit.
    password = "Sm0ke-" + secrets.token_urlsafe(24)
    with suppress(cognito.exceptions.UsernameExistsException):
        cognito.admin_create_user(UserPoolId=pool_id, Username=SMOKE_USER, MessageAction="SUPPRESS")
    cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=SMOKE_USER, GroupName=ADMIN_GROUP)
    cognito.admin_set_user_password(
        UserPoolId=pool_id, Username=SMOKE_USER, Password=password, Permanent=True
    )
    signed_in = cognito.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": SMOKE_USER, "PASSWORD": password},
    )
    return signed_in["AuthenticationResult"]["IdToken"]


def deployed_target(stack_name: str) -> Target:
    stack = deployed.describe(stack_name)
    token = signed_in_admin(stack.output("UserPoolId"), stack.output("UserPoolClientId"))
    return Target(stack.output("ApiUrl").rstrip("/"), token)


@pytest.fixture(scope="module")
def target(request: pytest.FixtureRequest) -> Iterator[Target]:
    """SMOKE_URL and SMOKE_TOKEN, else the stack SMOKE_STACK or that of the samconfig.toml
    environment SMOKE_ENV, else the local stack (whose table must still hold every invariant
    afterwards)."""
    url, token = os.environ.get("SMOKE_URL"), os.environ.get("SMOKE_TOKEN")
    if url or token:
        if not (url and token):
            raise pytest.UsageError("SMOKE_URL and SMOKE_TOKEN go together")
        yield Target(url.rstrip("/"), token)
        return
    environment = os.environ.get("SMOKE_ENV")
    stack_name = os.environ.get("SMOKE_STACK") or (
        deployed.stack_name(environment) if environment else None
    )
    if stack_name:
        yield deployed_target(stack_name)
        return
    local: LocalStack = request.getfixturevalue("stack")
    yield Target(local.api_url, local.token())
    assert local.broken_invariants(strict_capacity=False) == []


def is_money(value: Any) -> bool:
    return isinstance(value, str) and Decimal(value) >= 0


def test_the_openapi_document_is_served_without_a_token(target: Target) -> None:
    reply = target.request("GET", "/openapi.json", signed=False)

    assert reply.status == 200
    assert reply.body["openapi"].startswith("3.")
    assert "/advisors" in reply.body["paths"]


def test_the_health_check_answers_without_a_token(target: Target) -> None:
    reply = target.request("GET", "/health", signed=False)

    assert (reply.status, reply.body) == (200, {"status": "ok"})


def test_a_request_without_a_token_is_refused(target: Target) -> None:
    reply = target.request("GET", "/advisors", signed=False)

    assert reply.status == 401
    assert reply.body["error"]["code"] == "unauthorized"


def test_available_advisors_are_listed(target: Target) -> None:
    reply = target.request("GET", "/advisors?limit=10")

    assert reply.status == 200
    assert all(advisor["available"] for advisor in reply.body["items"])


def test_an_advisor_and_their_clients_are_read(target: Target) -> None:
    listed = target.request("GET", "/advisors?include_unavailable=true&limit=1").body["items"]
    if not listed:
        pytest.skip("the stack holds no advisor yet: import a seed file")
    advisor_id = listed[0]["advisor_id"]

    advisor = target.request("GET", f"/advisors/{advisor_id}")
    clients = target.request("GET", f"/advisors/{advisor_id}/clients?limit=10")

    assert advisor.status == 200
    assert is_money(advisor.body["total_assets"])
    assert clients.status == 200
    assert clients.body["advisor_id"] == advisor_id
    assert all(is_money(client["total_value"]) for client in clients.body["items"])


def test_imports_are_listed(target: Target) -> None:
    reply = target.request("GET", "/imports?limit=5")

    assert reply.status == 200
    assert isinstance(reply.body["items"], list)


def test_an_assignment_undone_leaves_the_client_as_it_was(target: Target) -> None:
    """An unassigned client is assigned an available advisor and unassigned again; an
    assigned one is assigned its own advisor again, which changes nothing."""
    before = target.request("GET", f"/clients/{CLIENT_ID}")
    if before.status == 404:
        pytest.skip(f"the stack has no client {CLIENT_ID}: set SMOKE_CLIENT_ID to one")
    assert before.status == 200
    assert is_money(before.body["total_value"])
    original = before.body["advisor_id"]
    if original is not None:
        again = target.request("PUT", f"/clients/{CLIENT_ID}/advisor", {"advisor_id": original})
        assert again.status == 200
        assert again.body["previous_advisor_id"] == original
    else:
        available = target.request("GET", "/advisors?limit=1").body["items"]
        if not available:
            pytest.skip("the stack has no available advisor to assign")
        advisor_id = available[0]["advisor_id"]
        try:
            assigned = target.request(
                "PUT", f"/clients/{CLIENT_ID}/advisor", {"advisor_id": advisor_id}
            )
            assert assigned.status == 200
            assert (assigned.body["advisor_id"], assigned.body["previous_advisor_id"]) == (
                advisor_id,
                None,
            )
        finally:
            unassigned = target.request("DELETE", f"/clients/{CLIENT_ID}/advisor")
        assert unassigned.status == 204

    after = target.request("GET", f"/clients/{CLIENT_ID}")

    assert after.body == before.body
