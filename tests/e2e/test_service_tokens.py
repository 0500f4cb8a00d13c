"""Services over HTTP against the local stack: the pool's token endpoint (client-credentials
grant) and `make token CLIENT=<name>`, whose access tokens are signed with the pool's keys, and
the API's authorizer letting them through to the routes their scopes open."""

import base64
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlencode

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet

from local.stack.cognito import LOCAL_PASSWORD
from tests.conftest import ROOT
from tests.e2e.conftest import LocalStack

pytestmark = pytest.mark.usefixtures("invariants_checked")

CLIENT = "IntegratorClient"
ALL_SCOPES = {"advisor-book/read", "advisor-book/assign", "advisor-book/import"}


def _integrator(stack: LocalStack) -> tuple[str, str, str]:
    """The pool id, and the integrator client's id and secret, as describe-user-pool-client
    gives them to an operator."""
    cognito = stack.aws("cognito-idp")
    (pool,) = cognito.list_user_pools(MaxResults=10)["UserPools"]
    listed = cognito.list_user_pool_clients(UserPoolId=pool["Id"])["UserPoolClients"]
    (client_id,) = [c["ClientId"] for c in listed if c["ClientName"] == CLIENT]
    client = cognito.describe_user_pool_client(UserPoolId=pool["Id"], ClientId=client_id)
    return pool["Id"], client_id, client["UserPoolClient"]["ClientSecret"]


def token_request(
    stack: LocalStack, form: dict[str, str], basic: tuple[str, str] | None = None
) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(  # noqa: S310
        stack.api_url + "/oauth2/token", data=urlencode(form).encode(), method="POST"
    )
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    if basic is not None:
        credentials = base64.b64encode(f"{basic[0]}:{basic[1]}".encode()).decode()
        request.add_header("Authorization", f"Basic {credentials}")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def verified_claims(stack: LocalStack, pool_id: str, token: str) -> dict[str, Any]:
    """The token's claims, verified against the key set the pool publishes."""
    with urllib.request.urlopen(  # noqa: S310
        f"{stack.aws_url}/{pool_id}/.well-known/jwks.json", timeout=60
    ) as response:
        keys = KeySet.import_key_set(json.load(response))
    return dict(jwt.decode(token, keys, algorithms=["RS256"]).claims)


def test_the_integrator_gets_an_access_token_with_the_scopes_it_asks_for(
    stack: LocalStack,
) -> None:
    pool_id, client_id, secret = _integrator(stack)

    status, answer = token_request(
        stack,
        {"grant_type": "client_credentials", "scope": "advisor-book/read"},
        basic=(client_id, secret),
    )

    assert status == 200, answer
    assert (answer["token_type"], answer["expires_in"]) == ("Bearer", 3600)
    claims = verified_claims(stack, pool_id, answer["access_token"])
    assert claims["token_use"] == "access"
    assert claims["client_id"] == claims["sub"] == client_id
    assert claims["scope"] == "advisor-book/read"
    assert claims["iss"].endswith(f"/{pool_id}")


def test_without_a_scope_the_token_has_every_scope_of_the_client(stack: LocalStack) -> None:
    pool_id, client_id, secret = _integrator(stack)

    status, answer = token_request(
        stack,
        {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
    )

    assert status == 200, answer
    assert set(verified_claims(stack, pool_id, answer["access_token"])["scope"].split()) == (
        ALL_SCOPES
    )


@pytest.mark.parametrize(
    ("change", "status", "error"),
    [
        pytest.param({"secret": "wrong"}, 401, "invalid_client", id="a wrong secret"),
        pytest.param({"client_id": "unknown"}, 401, "invalid_client", id="an unknown client"),
        pytest.param({"grant_type": "password"}, 400, "unsupported_grant_type", id="password"),
        pytest.param({"grant_type": None}, 400, "invalid_request", id="no grant type"),
        pytest.param({"scope": "advisor-book/admin"}, 400, "invalid_scope", id="unknown scope"),
        pytest.param({"scope": "other/read"}, 400, "invalid_scope", id="another server's"),
    ],
)
def test_a_bad_token_request_gets_the_oauth_error(
    stack: LocalStack, change: dict[str, str | None], status: int, error: str
) -> None:
    _, client_id, secret = _integrator(stack)
    asked: dict[str, str | None] = {
        "client_id": client_id,
        "secret": secret,
        "grant_type": "client_credentials",
        "scope": "advisor-book/read",
    }
    asked.update(change)
    form = {k: v for k, v in asked.items() if k in ("grant_type", "scope") and v is not None}

    answer = token_request(stack, form, basic=(str(asked["client_id"]), str(asked["secret"])))

    assert answer == (status, {"error": error})


def test_the_users_client_has_no_secret_and_gets_no_token(stack: LocalStack) -> None:
    cognito = stack.aws("cognito-idp")
    (pool,) = cognito.list_user_pools(MaxResults=10)["UserPools"]
    listed = cognito.list_user_pool_clients(UserPoolId=pool["Id"])["UserPoolClients"]
    (users,) = [c["ClientId"] for c in listed if c["ClientName"] == "UserPoolClient"]

    answer = token_request(stack, {"grant_type": "client_credentials"}, basic=(users, ""))

    assert answer == (401, {"error": "invalid_client"})


def make_token(stack: LocalStack, *arguments: str) -> subprocess.CompletedProcess[str]:
    port = stack.aws_url.rsplit(":", 1)[1]
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "local.stack.token", *arguments],
        cwd=ROOT,
        env={**os.environ, "LOCAL_AWS_PORT": port},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_make_token_prints_a_services_token(stack: LocalStack) -> None:
    pool_id, client_id, _ = _integrator(stack)

    every = make_token(stack, "--client", CLIENT)
    read = make_token(stack, "--client", CLIENT, "--scope", "advisor-book/read")

    assert every.returncode == 0, every.stderr
    claims = verified_claims(stack, pool_id, every.stdout.strip())
    assert (claims["client_id"], set(claims["scope"].split())) == (client_id, ALL_SCOPES)
    assert verified_claims(stack, pool_id, read.stdout.strip())["scope"] == "advisor-book/read"


def test_make_token_names_the_services_it_knows(stack: LocalStack) -> None:
    printed = make_token(stack, "--client", "UserPoolClient")

    assert printed.returncode == 1
    assert "IntegratorClient" in printed.stderr


# A route of each kind, the scope that opens it to services, and what it answers then.
ROUTES_BY_SCOPE = [
    pytest.param("read", "GET", "/advisors/adv-001/clients", None, 200, id="a book: read"),
    pytest.param("read", "GET", "/clients/cli-0001/assignments", None, 200, id="history: read"),
    pytest.param(
        "assign",
        "PUT",
        "/clients/cli-0042/advisor",
        {"advisor_id": "adv-001"},
        200,
        id="assign: assign",
    ),
    pytest.param("assign", "DELETE", "/clients/cli-0042/advisor", None, 204, id="unassign: assign"),
    pytest.param("import", "GET", "/imports?key=data.json", None, 200, id="imports: import"),
]


@pytest.mark.parametrize(("scope", "method", "path", "body", "status"), ROUTES_BY_SCOPE)
def test_a_service_token_with_the_routes_scope_reaches_it(
    stack: LocalStack, scope: str, method: str, path: str, body: Any, status: int
) -> None:
    token = stack.service_token(scope)

    reply = stack.request(method, path, body, authorization=f"Bearer {token}")

    assert reply.status == status, reply.body


@pytest.mark.parametrize(("scope", "method", "path", "body", "status"), ROUTES_BY_SCOPE)
def test_a_service_token_without_the_routes_scope_is_forbidden_naming_it(
    stack: LocalStack, scope: str, method: str, path: str, body: Any, status: int
) -> None:
    others = [s for s in ("read", "assign", "import") if s != scope]
    token = stack.service_token(*others)

    reply = stack.request(method, path, body, authorization=f"Bearer {token}")

    assert reply.status == 403
    assert reply.body["error"]["code"] == "forbidden"
    assert f"advisor-book/{scope}" in reply.body["error"]["message"]


def test_a_service_token_is_taken_without_the_bearer_prefix_too(stack: LocalStack) -> None:
    """As people send their ID tokens: the token alone in the header."""
    assert stack.request("GET", "/advisors", authorization=stack.service_token("read")).status == (
        200
    )


def test_a_users_own_access_token_is_refused(stack: LocalStack) -> None:
    """An access token of the people's app client is not a service's: the authorizer refuses
    it, whatever the user's groups."""
    cognito = stack.aws("cognito-idp")
    (pool,) = cognito.list_user_pools(MaxResults=10)["UserPools"]
    listed = cognito.list_user_pool_clients(UserPoolId=pool["Id"])["UserPoolClients"]
    (users,) = [c["ClientId"] for c in listed if c["ClientName"] == "UserPoolClient"]
    signed_in = cognito.admin_initiate_auth(
        UserPoolId=pool["Id"],
        ClientId=users,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "admin", "PASSWORD": LOCAL_PASSWORD},
    )["AuthenticationResult"]

    for authorization in (signed_in["AccessToken"], f"Bearer {signed_in['AccessToken']}"):
        reply = stack.request("GET", "/advisors", authorization=authorization)
        assert reply.status == 401
        assert reply.body["error"] == {
            "code": "unauthorized",
            "message": "sign in: send a valid ID token or an access token in the Authorization "
            "header",
        }
    assert stack.request("GET", "/advisors", authorization=signed_in["IdToken"]).status == 200
