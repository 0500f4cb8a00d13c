"""Who may call what, over HTTP against the local stack, with real tokens from its user pool:
people's ID tokens and services' access tokens from its token endpoint.

Every route times admin, the advisor whose book it is, another advisor, no token, a bad one,
and a service holding only one scope of the three; then the ways a token can be bad (tampered,
expired, another issuer, an access token), the two public routes, and every documented
operation and undeclared method refused without a token.
"""

import base64
import gzip
import json
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import moto
import pytest
from botocore.exceptions import ClientError
from joserfc import jwt
from joserfc.jwk import RSAKey

from local.harness import template
from local.stack.cognito import LOCAL_PASSWORD
from tests.e2e.conftest import LocalStack

pytestmark = pytest.mark.usefixtures("invariants_checked")

CALLERS = (
    "admin",
    "own advisor",
    "other advisor",
    "no token",
    "bad token",
    "read service",
    "assign service",
    "import service",
)

# (method, path, body) -> status for each of CALLERS: admin, own advisor (adv-001), other
# advisor (adv-002), no token, a tampered token, and a service with only advisor-book/read,
# only advisor-book/assign, only advisor-book/import. adv-001's book holds cli-0010, adv-002's
# cli-0011.
MATRIX: list[tuple[str, str, Any, tuple[int, int, int, int, int, int, int, int]]] = [
    ("GET", "/advisors", None, (200, 200, 200, 401, 401, 200, 403, 403)),
    ("GET", "/advisors/adv-001", None, (200, 200, 200, 401, 401, 200, 403, 403)),
    ("GET", "/advisors/adv-001/clients", None, (200, 200, 404, 401, 401, 200, 403, 403)),
    (
        "GET",
        "/advisors/adv-001/notification-preferences",
        None,
        (200, 200, 404, 401, 401, 403, 403, 403),
    ),
    (
        "PUT",
        "/advisors/adv-001/notification-preferences",
        {"email": "adv-001@example.com", "event_types": ["client.assigned"]},
        (200, 200, 404, 401, 401, 403, 403, 403),
    ),
    ("GET", "/clients", None, (200, 200, 200, 401, 401, 200, 403, 403)),
    ("GET", "/clients?advisor_id=adv-001", None, (200, 200, 404, 401, 401, 200, 403, 403)),
    ("GET", "/clients?unassigned=true", None, (200, 403, 403, 401, 401, 200, 403, 403)),
    ("GET", "/clients/cli-0010", None, (200, 200, 404, 401, 401, 200, 403, 403)),
    ("GET", "/clients/cli-0010/assignments", None, (200, 200, 404, 401, 401, 200, 403, 403)),
    (
        "GET",
        "/clients/cli-0010/advisor-suggestions",
        None,
        (200, 403, 403, 401, 401, 200, 403, 403),
    ),
    (
        "PUT",
        "/clients/cli-0012/advisor",
        {"advisor_id": "adv-002"},
        (200, 403, 403, 401, 401, 403, 200, 403),
    ),
    ("DELETE", "/clients/cli-0013/advisor", None, (204, 403, 403, 401, 401, 403, 204, 403)),
    ("GET", "/imports", None, (200, 403, 403, 401, 401, 403, 403, 200)),
    (
        "GET",
        "/imports/imp-000000000000000000000000",
        None,
        (404, 403, 403, 401, 401, 403, 403, 404),
    ),
]


def test_the_matrix_covers_every_route_that_needs_a_token() -> None:
    """Each route behind the authorizer has a row, matched by its resource's pattern."""
    guarded = [r for r in template.routes() if r.authorizer and r.method != "ANY"]

    def route_of(method: str, path: str) -> tuple[str, str]:
        (found,) = [
            (r.method, r.path)
            for r in guarded
            if r.method == method
            and re.fullmatch(re.sub(r"\{\w+\}", "[^/]+", r.path), path.partition("?")[0])
        ]
        return found

    assert {route_of(method, path) for method, path, *_ in MATRIX} == {
        (r.method, r.path) for r in guarded
    }


def _segments(token: str) -> list[bytes]:
    return [base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)) for part in token.split(".")]


def tampered(token: str) -> str:
    """The same token with its payload changed (the user promoted), signature left as it was."""
    header, _, signature = token.split(".")
    claims = json.loads(_segments(token)[1])
    claims["cognito:groups"] = ["admin"]
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def resigned(token: str, **changes: Any) -> str:
    """The token's claims with `changes`, signed with the emulator's own key: valid signatures
    on tokens the authorizer must still refuse."""
    private = Path(moto.__file__).parent / "cognitoidp" / "resources" / "jwks-private.json.gz"
    key = RSAKey.import_key(json.loads(gzip.decompress(private.read_bytes())))
    claims = {**json.loads(_segments(token)[1]), **changes}
    return jwt.encode({"alg": "RS256", "kid": "dummy"}, claims, key)


@pytest.fixture(scope="module")
def books(stack: LocalStack) -> LocalStack:
    for client_id, advisor_id in (("cli-0010", "adv-001"), ("cli-0011", "adv-002")):
        reply = stack.request("PUT", f"/clients/{client_id}/advisor", {"advisor_id": advisor_id})
        assert reply.status == 200, reply.body
    return stack


def _call(stack: LocalStack, method: str, path: str, body: Any, caller: str) -> int:
    if caller == "no token":
        return stack.request(method, path, body, user=None).status
    if caller == "bad token":
        return stack.request(method, path, body, authorization=tampered(stack.token())).status
    if caller.endswith(" service"):
        token = stack.service_token(caller.removesuffix(" service"))
        return stack.request(method, path, body, authorization=f"Bearer {token}").status
    user = {"admin": "admin", "own advisor": "adv-001", "other advisor": "adv-002"}[caller]
    return stack.request(method, path, body, user=user).status


@pytest.mark.parametrize(
    ("method", "path", "body", "caller", "status"),
    [
        pytest.param(method, path, body, caller, statuses[i], id=f"{method} {path} as {caller}")
        for method, path, body, statuses in MATRIX
        for i, caller in enumerate(CALLERS)
    ],
)
def test_each_role_gets_what_its_rules_allow(
    books: LocalStack, method: str, path: str, body: Any, caller: str, status: int
) -> None:
    assert _call(books, method, path, body, caller) == status


def test_an_advisor_lists_only_their_own_clients(books: LocalStack) -> None:
    reply = books.request("GET", "/advisors/adv-001/clients?limit=100", user="adv-001")

    assert reply.status == 200
    listed = {c["client_id"] for c in reply.body["items"]}
    assert "cli-0010" in listed
    assert "cli-0011" not in listed


@pytest.mark.parametrize(
    "make_token",
    [
        pytest.param(lambda admin: tampered(admin), id="tampered"),
        pytest.param(lambda admin: resigned(admin, exp=int(time.time()) - 60), id="expired"),
        pytest.param(
            lambda admin: resigned(admin, iss="https://cognito-idp.us-east-1.amazonaws.com/x"),
            id="another issuer",
        ),
        pytest.param(lambda admin: resigned(admin, token_use="access"), id="access token"),
        pytest.param(lambda admin: admin[:-8], id="truncated"),
        pytest.param(lambda admin: "not-a-jwt", id="not a JWT"),
        pytest.param(lambda admin: f"Basic {admin}", id="another scheme"),
        pytest.param(lambda admin: "Bearer", id="Bearer without a token"),
        pytest.param(lambda admin: f"Bearer {admin} {admin}", id="two tokens"),
    ],
)
def test_a_bad_token_is_refused_with_401_and_the_error_body(
    stack: LocalStack, make_token: Any
) -> None:
    reply = stack.request("GET", "/advisors", authorization=make_token(stack.token()))

    assert reply.status == 401
    assert reply.body["error"]["code"] == "unauthorized"


def test_a_token_resigned_unchanged_is_accepted(stack: LocalStack) -> None:
    """The bad tokens above fail for what was changed, not for how they were made."""
    assert stack.request("GET", "/advisors", authorization=resigned(stack.token())).status == 200


@pytest.mark.parametrize("path", ["/openapi.json", "/swagger"])
def test_the_documentation_is_public(stack: LocalStack, path: str) -> None:
    assert stack.request("GET", path, user=None).status == 200


def test_no_documented_operation_answers_without_a_token(stack: LocalStack) -> None:
    document = stack.request("GET", "/openapi.json", user=None).body
    refused = []
    for template_path, operations in document["paths"].items():
        path = template_path.replace("{import_id}", "imp-000000000000000000000000")
        path = path.replace("{advisor_id}", "adv-001").replace("{client_id}", "cli-0001")
        for method, operation in operations.items():
            if operation["x-access"] == "anyone":  # the health check
                continue
            reply = stack.request(method.upper(), path, user=None)
            refused.append((method.upper(), template_path, reply.status))
    assert refused
    assert {status for _, _, status in refused} == {401}, refused


def test_an_undeclared_method_needs_a_token_before_it_is_refused(stack: LocalStack) -> None:
    anonymous = stack.request("PATCH", "/clients/cli-0001", user=None)
    signed_in = stack.request("PATCH", "/clients/cli-0001")

    assert anonymous.status == 401
    assert signed_in.status == 405


@dataclass
class PoolUser:
    """A user of the local pool of its own (no other test's user is touched), for adv-001."""

    cognito: Any
    sign_in: Callable[[], dict[str, str]]
    """Tokens from the template's app client, as signing in gives them."""


@pytest.fixture
def advisor_user(stack: LocalStack) -> PoolUser:
    cognito = boto3.client(
        "cognito-idp",
        endpoint_url=stack.aws_url,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    (pool,) = cognito.list_user_pools(MaxResults=10)["UserPools"]
    (client,) = [
        c
        for c in cognito.list_user_pool_clients(UserPoolId=pool["Id"])["UserPoolClients"]
        if c["ClientName"] == "UserPoolClient"
    ]
    username = f"adv-001-{uuid.uuid4().hex[:8]}"
    cognito.admin_create_user(
        UserPoolId=pool["Id"],
        Username=username,
        UserAttributes=[
            {"Name": "custom:advisor_id", "Value": "adv-001"},
            {"Name": "phone_number", "Value": "+15555550100"},  # not readable by the client
        ],
        MessageAction="SUPPRESS",
    )
    cognito.admin_set_user_password(
        UserPoolId=pool["Id"], Username=username, Password=LOCAL_PASSWORD, Permanent=True
    )
    cognito.admin_add_user_to_group(UserPoolId=pool["Id"], Username=username, GroupName="advisor")

    def sign_in() -> dict[str, str]:
        tokens = cognito.admin_initiate_auth(
            UserPoolId=pool["Id"],
            ClientId=client["ClientId"],
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": LOCAL_PASSWORD},
        )["AuthenticationResult"]
        return {"AccessToken": tokens["AccessToken"], "IdToken": tokens["IdToken"]}

    return PoolUser(cognito, sign_in)


def test_an_advisor_cannot_write_their_own_advisor_id(
    books: LocalStack, advisor_user: PoolUser
) -> None:
    """The app client's WriteAttributes leave out custom:advisor_id: setting it with one's own
    access token is refused whole, and the user keeps their advisor id and their book only."""
    access_token = advisor_user.sign_in()["AccessToken"]

    with pytest.raises(ClientError) as refused:
        advisor_user.cognito.update_user_attributes(
            AccessToken=access_token,
            UserAttributes=[
                {"Name": "name", "Value": "Ada"},
                {"Name": "custom:advisor_id", "Value": "adv-002"},
            ],
        )

    assert refused.value.response["Error"]["Code"] == "NotAuthorizedException"
    id_token = advisor_user.sign_in()["IdToken"]
    claims = json.loads(_segments(id_token)[1])
    assert claims["custom:advisor_id"] == "adv-001"
    assert "name" not in claims
    for path in ("/advisors/adv-002/clients", "/clients/cli-0011"):
        assert books.request("GET", path, authorization=id_token).status == 404
    assert books.request("GET", "/clients/cli-0010", authorization=id_token).status == 200


def test_an_advisor_writes_and_reads_only_what_the_app_client_allows(
    stack: LocalStack, advisor_user: PoolUser
) -> None:
    access_token = advisor_user.sign_in()["AccessToken"]

    advisor_user.cognito.update_user_attributes(
        AccessToken=access_token, UserAttributes=[{"Name": "name", "Value": "Ada"}]
    )
    user = advisor_user.cognito.get_user(AccessToken=access_token)

    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert attributes.pop("sub")
    assert attributes == {"name": "Ada", "custom:advisor_id": "adv-001"}  # no phone_number
