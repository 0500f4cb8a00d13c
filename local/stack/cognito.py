"""The template's Cognito user pool in the emulator: its users, their ID tokens, and the check
API Gateway's Cognito authorizer makes on every request.

moto implements user pools and signs real RS256 JWTs with a key it publishes at
`<endpoint>/<pool id>/.well-known/jwks.json`. The gateway verifies tokens against that key set
as a REST API's Cognito authorizer without scopes does: signature (the pool's keys), issuer
(this pool), `token_use` "id" and expiry; then hands the claims to the function as API Gateway
does (local.harness.events.authorizer_claims), beside the token itself in the Authorization
header.

The pool, its app client and groups are made from the template (local.harness.provision).
Locally every user has the same password (below), and the stack seeds an admin and one user
per advisor, named by the advisor's id.
"""

import json
import time
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import boto3
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

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


def _pool_and_client() -> tuple[str, str]:
    """The emulator's user pool and app client of the template (there is one of each)."""
    cognito = _client()
    (pool_logical_id,) = template.resources_of_type("AWS::Cognito::UserPool")
    pools = cognito.list_user_pools(MaxResults=60)["UserPools"]
    pool_id = next(p["Id"] for p in pools if p["Name"] == pool_logical_id)
    clients = cognito.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)
    return pool_id, clients["UserPoolClients"][0]["ClientId"]


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


@dataclass
class TokenVerifier:
    """Checks ID tokens of one user pool as API Gateway's Cognito authorizer does."""

    endpoint: str
    region: str
    pool_id: str
    _keys: KeySet | None = None

    @property
    def issuer(self) -> str:
        return f"https://cognito-idp.{self.region}.amazonaws.com/{self.pool_id}"

    def _key_set(self) -> KeySet:
        if self._keys is None:
            url = f"{self.endpoint}/{self.pool_id}/.well-known/jwks.json"
            with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
                self._keys = KeySet.import_key_set(json.load(response))
        return self._keys

    def claims(self, authorization: str | None) -> dict[str, Any] | None:
        """The token's claims, or None: refused (401). The gateway hands them to the function
        as the authorizer does (local.harness.events.authorizer_claims)."""
        if not authorization:
            return None
        try:
            token = jwt.decode(authorization.strip(), self._key_set(), algorithms=["RS256"])
        except (JoseError, ValueError):
            return None
        claims: Mapping[str, Any] = token.claims
        if (
            claims.get("iss") != self.issuer
            or claims.get("token_use") != "id"
            or not isinstance(claims.get("exp"), int)
            or claims["exp"] <= time.time()
        ):
            return None
        return dict(claims)


def verifiers(endpoint: str, region: str, refs: Mapping[str, str]) -> dict[str, TokenVerifier]:
    """A verifier per user pool of the template (by logical id), for the gateway."""
    return {
        logical_id: TokenVerifier(endpoint, region, refs[logical_id])
        for logical_id in template.resources_of_type("AWS::Cognito::UserPool")
    }
