"""The API's Lambda authorizer decides here: is the bearer token a person's Cognito ID token or
a service's access token from the template's user pool, and what does it pass on?

One method of a REST API cannot take both kinds of token through API Gateway's Cognito
authorizer (decision 0020), so the authorizer verifies them itself: an RS256 signature by a key
of the pool's JWKS, the pool's issuer, the expiry (with a small leeway for clocks), and then by
`token_use`: an ID token must be for the people's app client (`aud`), an access token for an app
client of services (`client_id`). Anything else is refused. Which route a caller may call is
not decided here: the functions decide it from the context passed on (advisor_book.auth).

The key set is fetched once per execution environment and kept; a token signed by a key it
does not hold (Cognito rotated its keys) fetches it again, at most once a minute, so a flood of
made-up key ids cannot turn into a flood of requests to Cognito.

Imported by the authorizer alone: it needs PyJWT, which the other functions do not ship.
"""

import json
import os
import threading
import time
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import jwt

from advisor_book.auth import authorizer_context

ALGORITHM = "RS256"  # Cognito's; a token naming another (`none` included) is refused
LEEWAY_SECONDS = 30
"""How far past its expiry a token is still taken: room for clocks that disagree a little."""
REFETCH_INTERVAL_SECONDS = 60.0
"""The least time between two fetches of the key set."""
FETCH_TIMEOUT_SECONDS = 5.0


class TokenRefusedError(Exception):
    """The token is not one this API takes; the message says why (for the logs only)."""


class KeysUnavailableError(Exception):
    """The key set could not be fetched: the authorizer fails, and API Gateway answers 500."""


@dataclass(frozen=True)
class TokenRules:
    """What a token must be, from the template (the authorizer's environment)."""

    issuer: str
    people_clients: frozenset[str]  # the app clients whose ID tokens people send
    service_clients: frozenset[str]  # the app clients of services (client-credentials grant)
    jwks_url: str

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> "TokenRules":
        """TOKEN_ISSUER, PEOPLE_CLIENT_IDS and SERVICE_CLIENT_IDS (comma-separated); the key set
        is the issuer's own unless JWKS_URL says where else (the local stack's emulator)."""
        issuer = environ["TOKEN_ISSUER"].rstrip("/")
        return cls(
            issuer=issuer,
            people_clients=_ids(environ["PEOPLE_CLIENT_IDS"]),
            service_clients=_ids(environ["SERVICE_CLIENT_IDS"]),
            jwks_url=environ.get("JWKS_URL") or f"{issuer}/.well-known/jwks.json",
        )


def _ids(value: str) -> frozenset[str]:
    return frozenset(part.strip() for part in value.split(",") if part.strip())


def _fetch(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=FETCH_TIMEOUT_SECONDS) as response:  # noqa: S310
        document: dict[str, Any] = json.load(response)
        return document


class SigningKeys:
    """The pool's public keys by key id: fetched on first use, fetched again for a key id they
    lack, at most once every REFETCH_INTERVAL_SECONDS."""

    def __init__(
        self,
        url: str,
        clock: Callable[[], float] = time.monotonic,
        fetch: Callable[[str], dict[str, Any]] = _fetch,
    ) -> None:
        self._url = url
        self._clock = clock
        self._fetch = fetch
        self._keys: dict[str, jwt.PyJWK] | None = None
        self._fetched_at: float | None = None
        self._lock = threading.Lock()

    def key(self, kid: str) -> jwt.PyJWK | None:
        """The key `kid`, or None when the pool has no such key."""
        with self._lock:
            if self._keys is None or kid not in self._keys:
                self._refresh()
            return (self._keys or {}).get(kid)

    def _refresh(self) -> None:
        now = self._clock()
        if self._fetched_at is not None and now - self._fetched_at < REFETCH_INTERVAL_SECONDS:
            if self._keys is None:
                raise KeysUnavailableError(f"no key set yet from {self._url}")
            return
        self._fetched_at = now
        try:
            found = jwt.PyJWKSet.from_dict(self._fetch(self._url))
        except (OSError, ValueError, jwt.PyJWTError) as error:
            raise KeysUnavailableError(f"the key set at {self._url}: {error}") from error
        self._keys = {key.key_id: key for key in found.keys if key.key_id}


class TokenVerifier:
    """Verifies bearer tokens against `rules`, with the pool's keys from `keys`."""

    def __init__(self, rules: TokenRules, keys: SigningKeys | None = None) -> None:
        self.rules = rules
        self._keys = keys or SigningKeys(rules.jwks_url)

    def claims(self, authorization: str | None) -> dict[str, Any]:
        """The verified claims of the token in an Authorization header's value (the token,
        `Bearer` and the token); TokenRefusedError when it is not one this API takes."""
        token = _bearer(authorization)
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise TokenRefusedError(f"not a JWT: {error}") from error
        kid = header.get("kid")
        if header.get("alg") != ALGORITHM or not isinstance(kid, str):
            raise TokenRefusedError(f"not an {ALGORITHM} token with a key id")
        key = self._keys.key(kid)
        if key is None:
            raise TokenRefusedError("signed by a key the pool does not publish")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=[ALGORITHM],
                issuer=self.rules.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iss", "sub", "token_use"], "verify_aud": False},
            )
        except jwt.PyJWTError as error:
            raise TokenRefusedError(str(error)) from error
        self._check_client(claims)
        return claims

    def _check_client(self, claims: Mapping[str, Any]) -> None:
        """An ID token of the people's app client, or an access token of a service's."""
        match claims["token_use"]:
            case "id" if claims.get("aud") in self.rules.people_clients:
                return
            case "access" if claims.get("client_id") in self.rules.service_clients:
                return
            case "id" | "access":
                raise TokenRefusedError(f"a {claims['token_use']} token of another app client")
            case other:
                raise TokenRefusedError(f"token_use {other!r}")


def _bearer(authorization: str | None) -> str:
    """The token of an Authorization header: `Bearer <token>`, or the token alone (as people
    have always sent their ID token)."""
    value = (authorization or "").strip()
    scheme, _, rest = value.partition(" ")
    if rest and scheme.lower() == "bearer":
        value = rest.strip()
    if not value or " " in value:
        raise TokenRefusedError("no bearer token")
    return value


def allow(claims: Mapping[str, Any], method_arn: str) -> dict[str, Any]:
    """The authorizer's answer for a verified token: Allow on every method of the stage, since
    API Gateway caches it per token across routes (which route a caller may call is for the
    functions), and the context they read the caller from."""
    api, _, path = method_arn.partition("/")
    stage = path.split("/", 1)[0]
    if not api.startswith("arn:") or not stage:
        raise ValueError(f"not a method ARN: {method_arn!r}")
    context = authorizer_context(claims)
    return {
        "principalId": context["subject"],
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Action": "execute-api:Invoke",
                    "Effect": "Allow",
                    "Resource": f"{api}/{stage}/*/*",
                }
            ],
        },
        "context": context,
    }
