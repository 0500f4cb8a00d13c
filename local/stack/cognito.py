"""The template's Cognito user pool in the emulator: its users, their ID tokens, the services'
access tokens, and where the API's authorizer finds the pool's keys.

moto implements user pools and signs real RS256 JWTs with a key it publishes at
`<endpoint>/<pool id>/.well-known/jwks.json`, with the issuer Cognito would give them
(`https://cognito-idp.<region>.amazonaws.com/<pool id>`). The gateway runs the template's
authorizer function on every request that needs a token (local.stack.gateway); its issuer and
app clients resolve from the template as in AWS, and only its key set's URL differs locally
(`authorizer_overrides`).

The pool, its app clients, resource server and groups are made from the template
(local.harness.provision). Locally every user has the same password (below), and the stack
seeds an admin and one user per advisor, named by the advisor's id.

moto has no OAuth 2.0 token endpoint: `TokenEndpoint` is the pool domain's `/oauth2/token` for
the client-credentials grant (the local stack serves it on the API's port). It checks the app
client's id and secret, its grant and its scopes as Cognito does, and signs the access token
with the key moto signs the pool's ID tokens with, so it verifies against the same key set."""

import base64
import binascii
import hmac
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

import boto3
from joserfc import jwt
from joserfc.jwk import RSAKey
from moto.utilities.utils import load_resource

from local.harness import template

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient
    from mypy_boto3_cognito_idp.type_defs import AttributeTypeTypeDef

LOCAL_PASSWORD = "Local-Only-Passw0rd"  # noqa: S105 (the emulator's users only)
ADMIN_USER = "admin"
ADMIN_GROUP = "admin"
ADVISOR_GROUP = "advisor"


def _client() -> "CognitoIdentityProviderClient":
    return boto3.client("cognito-idp")


ACCESS_TOKEN_SECONDS = 3600  # the template's AccessTokenValidity: 60 minutes


def _users_client_name() -> str:
    """The template's app client that signs users in (the one with admin password auth)."""
    (name,) = [
        logical_id
        for logical_id, resource in template.resources_of_type(
            "AWS::Cognito::UserPoolClient"
        ).items()
        if "ALLOW_ADMIN_USER_PASSWORD_AUTH" in resource["Properties"].get("ExplicitAuthFlows", [])
    ]
    return name


def service_client_names() -> list[str]:
    """The template's app clients of services: those with the client-credentials grant."""
    return [
        logical_id
        for logical_id, resource in template.resources_of_type(
            "AWS::Cognito::UserPoolClient"
        ).items()
        if "client_credentials" in resource["Properties"].get("AllowedOAuthFlows", [])
    ]


def _pool_id() -> str:
    (pool_logical_id,) = template.resources_of_type("AWS::Cognito::UserPool")
    pools = _client().list_user_pools(MaxResults=60)["UserPools"]
    return next(p["Id"] for p in pools if p["Name"] == pool_logical_id)


def _client_id(pool_id: str, name: str) -> str:
    """The emulator's id of the template's app client `name` (its logical id)."""
    clients = _client().list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)
    found = [c["ClientId"] for c in clients["UserPoolClients"] if c["ClientName"] == name]
    if not found:
        raise LookupError(
            f"no app client {name}; the template's services: {service_client_names()}"
        )
    return found[0]


def _pool_and_client() -> tuple[str, str]:
    """The emulator's user pool and the app client users sign in with."""
    pool_id = _pool_id()
    return pool_id, _client_id(pool_id, _users_client_name())


def ensure_user(username: str, group: str, advisor_id: str | None = None) -> None:
    """Create the user (password LOCAL_PASSWORD, in `group`) unless it exists."""
    cognito = _client()
    pool_id, _ = _pool_and_client()
    try:
        cognito.admin_get_user(UserPoolId=pool_id, Username=username)
        return
    except cognito.exceptions.UserNotFoundException:
        pass
    attributes: list[AttributeTypeTypeDef] = (
        [{"Name": "custom:advisor_id", "Value": advisor_id}] if advisor_id else []
    )
    cognito.admin_create_user(
        UserPoolId=pool_id, Username=username, UserAttributes=attributes, MessageAction="SUPPRESS"
    )
    cognito.admin_set_user_password(
        UserPoolId=pool_id, Username=username, Password=LOCAL_PASSWORD, Permanent=True
    )
    cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName=group)


def seed_users(advisor_ids: Iterable[str]) -> None:
    """An admin, and a user per advisor (username = advisor id) in the advisor group."""
    ensure_user(ADMIN_USER, ADMIN_GROUP)
    for advisor_id in advisor_ids:
        ensure_user(advisor_id, ADVISOR_GROUP, advisor_id)


def id_token(username: str) -> str:
    """A fresh ID token for a local user, as signing in would give."""
    pool_id, client_id = _pool_and_client()
    result = _client().admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": LOCAL_PASSWORD},
    )
    return result["AuthenticationResult"]["IdToken"]


def service_token(client_name: str, scopes: Iterable[str] | None = None) -> str:
    """A fresh access token for the template's app client `client_name`, as its client-
    credentials grant would give: `scopes`, or every scope the client is allowed."""
    if client_name not in service_client_names():
        raise LookupError(
            f"{client_name} is not an app client of services; the template's: "
            f"{', '.join(service_client_names())}"
        )
    pool_id = _pool_id()
    endpoint = TokenEndpoint(_client().meta.endpoint_url, _client().meta.region_name, pool_id)
    client_id = _client_id(pool_id, client_name)
    details = endpoint.app_client(client_id) or {}
    status, answer = endpoint.grant(
        client_id,
        details.get("ClientSecret", ""),
        {"grant_type": "client_credentials", "scope": " ".join(scopes or [])},
    )
    if status != 200:
        raise ValueError(f"{client_name}: {answer['error']}")
    return str(answer["access_token"])


def _signing_key() -> RSAKey:
    """The key moto signs every pool's tokens with; its public half is the one each pool
    publishes at /<pool id>/.well-known/jwks.json (kid "dummy")."""
    return RSAKey.import_key(load_resource("cognitoidp/resources/jwks-private.json"))


@dataclass
class TokenEndpoint:
    """The user pool domain's /oauth2/token, for the client-credentials grant only."""

    endpoint: str
    region: str
    pool_id: str

    def app_client(self, client_id: str) -> dict[str, Any] | None:
        cognito = boto3.client("cognito-idp", endpoint_url=self.endpoint, region_name=self.region)
        try:
            found = cognito.describe_user_pool_client(UserPoolId=self.pool_id, ClientId=client_id)
        except cognito.exceptions.ResourceNotFoundException:
            return None
        return dict(found["UserPoolClient"])

    def handle(self, headers: Iterable[tuple[str, str]], body: bytes) -> tuple[int, dict[str, Any]]:
        """An HTTP POST to the endpoint: its status and JSON answer (RFC 6749 section 5)."""
        try:
            form = {k: v[-1] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}
        except UnicodeDecodeError:
            return 400, {"error": "invalid_request"}
        client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        authorization = next((v for k, v in headers if k.lower() == "authorization"), "")
        if authorization.startswith("Basic "):
            try:
                client_id, _, secret = (
                    base64.b64decode(authorization[6:], validate=True).decode().partition(":")
                )
            except (binascii.Error, UnicodeDecodeError):
                return 401, {"error": "invalid_client"}
        return self.grant(client_id, secret, form)

    def grant(
        self, client_id: str, secret: str, form: Mapping[str, str]
    ) -> tuple[int, dict[str, Any]]:
        """Cognito's answer to a token request of `client_id` authenticated by `secret`."""
        if "grant_type" not in form:
            return 400, {"error": "invalid_request"}
        client = self.app_client(client_id) if client_id else None
        if (
            client is None
            or not client.get("ClientSecret")
            or not hmac.compare_digest(client["ClientSecret"].encode(), secret.encode())
        ):
            return 401, {"error": "invalid_client"}
        if form["grant_type"] != "client_credentials":
            return 400, {"error": "unsupported_grant_type"}
        if "client_credentials" not in client.get("AllowedOAuthFlows", []) or not client.get(
            "AllowedOAuthFlowsUserPoolClient"
        ):
            return 400, {"error": "unauthorized_client"}
        allowed: list[str] = client.get("AllowedOAuthScopes", [])
        asked = form.get("scope", "").split()
        if any(scope not in allowed for scope in asked) or not (asked or allowed):
            return 400, {"error": "invalid_scope"}
        now = int(time.time())
        claims = {
            "sub": client_id,
            "token_use": "access",
            "scope": " ".join(asked or allowed),
            "auth_time": now,
            "iss": f"https://cognito-idp.{self.region}.amazonaws.com/{self.pool_id}",
            "exp": now + ACCESS_TOKEN_SECONDS,
            "iat": now,
            "version": 2,
            "jti": str(uuid.uuid4()),
            "client_id": client_id,
        }
        token = jwt.encode({"kid": "dummy", "alg": "RS256"}, claims, _signing_key())
        return 200, {
            "access_token": token,
            "expires_in": ACCESS_TOKEN_SECONDS,
            "token_type": "Bearer",
        }


def token_endpoint(endpoint: str, region: str, refs: Mapping[str, str]) -> TokenEndpoint | None:
    """The token endpoint of the template's user pool that has a domain, if one has."""
    for domain in template.resources_of_type("AWS::Cognito::UserPoolDomain").values():
        return TokenEndpoint(endpoint, region, refs[domain["Properties"]["UserPoolId"]["Ref"]])
    return None


def authorizer_overrides(endpoint: str, refs: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """The environment each authorizer function of the API needs locally, by logical id: the
    key set of the template's user pool as the emulator at `endpoint` publishes it."""
    (pool,) = template.resources_of_type("AWS::Cognito::UserPool")
    jwks_url = f"{endpoint}/{refs[pool]}/.well-known/jwks.json"
    return {a.function: {"JWKS_URL": jwks_url} for a in template.authorizers().values()}
