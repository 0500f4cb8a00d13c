"""The authorizer's decision (advisor_book.tokens): a person's ID token of the people's app
client or a service's access token of an integrator's, signed by a key of the pool's JWKS,
which a real HTTP server publishes here."""

import base64
import json
from collections.abc import Iterator
from typing import Any

import jwt
import pytest

from advisor_book import auth
from advisor_book.tokens import (
    REFETCH_INTERVAL_SECONDS,
    KeysUnavailableError,
    SigningKeys,
    TokenRefusedError,
    TokenRules,
    TokenVerifier,
    allow,
)
from tests.signing import (
    ISSUER,
    PEOPLE_CLIENT,
    SERVICE_CLIENT,
    JwksServer,
    SigningKey,
    access_claims,
    id_claims,
)

METHOD_ARN = "arn:aws:execute-api:us-east-1:123456789012:abc123/dev/GET/advisors/adv-001"


class Clock:
    """Time that moves only when the test moves it."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def pool_key() -> SigningKey:
    return SigningKey("pool-key-1")


# Keys the pool does not publish: one with the pool key's id, one with an id of its own.
IMPOSTOR = SigningKey("pool-key-1")
UNKNOWN = SigningKey("unknown")


@pytest.fixture
def jwks(pool_key: SigningKey) -> Iterator[JwksServer]:
    with JwksServer([pool_key]).running() as server:
        yield server


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def verifier(jwks: JwksServer, clock: Clock) -> TokenVerifier:
    rules = TokenRules.from_environment(
        {
            "TOKEN_ISSUER": ISSUER,
            "PEOPLE_CLIENT_IDS": PEOPLE_CLIENT,
            "SERVICE_CLIENT_IDS": f"{SERVICE_CLIENT}, another-integrator",
            "JWKS_URL": jwks.url,
        }
    )
    return TokenVerifier(rules, SigningKeys(rules.jwks_url, clock=clock))


def _b64(value: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


def test_a_good_id_token_passes_on_the_persons_groups_and_advisor_id(
    verifier: TokenVerifier, pool_key: SigningKey
) -> None:
    claims = id_claims(**{"cognito:groups": ["admin", "ops,x"]})

    verified = verifier.claims(pool_key.sign(claims))
    answer = allow(verified, METHOD_ARN)

    assert verified["sub"] == claims["sub"]
    assert answer["principalId"] == claims["sub"]
    assert answer["context"] == {
        "subject": claims["sub"],
        "token_use": "id",
        "client_id": PEOPLE_CLIENT,
        "groups": '["admin", "ops,x"]',
        "advisor_id": "adv-001",
        "scopes": "",
    }


def test_a_good_access_token_passes_on_the_service_and_its_scopes(
    verifier: TokenVerifier, pool_key: SigningKey
) -> None:
    verified = verifier.claims(f"Bearer {pool_key.sign(access_claims())}")
    context = allow(verified, METHOD_ARN)["context"]

    assert context == {
        "subject": SERVICE_CLIENT,
        "token_use": "access",
        "client_id": SERVICE_CLIENT,
        "groups": "[]",
        "advisor_id": "",
        "scopes": "advisor-book/read advisor-book/assign",
    }
    caller = auth.caller_of({"requestContext": {"authorizer": context}})
    assert (caller.role, caller.subject) == ("service", SERVICE_CLIENT)


def test_every_client_the_template_lists_is_taken(
    verifier: TokenVerifier, pool_key: SigningKey
) -> None:
    token = pool_key.sign(access_claims(client_id="another-integrator", sub="another-integrator"))

    assert verifier.claims(token)["client_id"] == "another-integrator"


def test_the_policy_allows_every_method_of_the_stage_and_nothing_more(
    verifier: TokenVerifier, pool_key: SigningKey
) -> None:
    """API Gateway caches the answer per token across routes: it must not name one route."""
    answer = allow(verifier.claims(pool_key.sign(id_claims())), METHOD_ARN)

    assert answer["policyDocument"] == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Action": "execute-api:Invoke",
                "Effect": "Allow",
                "Resource": "arn:aws:execute-api:us-east-1:123456789012:abc123/dev/*/*",
            }
        ],
    }


def _tampered(token: str) -> str:
    header, _, signature = token.split(".")
    return f"{header}.{_b64(id_claims(**{'cognito:groups': ['admin']}))}.{signature}"


def _unsigned(claims: dict[str, Any]) -> str:
    return f"{_b64({'alg': 'none', 'typ': 'JWT', 'kid': 'pool-key-1'})}.{_b64(claims)}."


REFUSED = [
    pytest.param(lambda key: _tampered(key.sign(id_claims())), id="tampered signature"),
    pytest.param(lambda key: IMPOSTOR.sign(id_claims()), id="another key, same kid"),
    pytest.param(lambda key: UNKNOWN.sign(id_claims()), id="unknown kid"),
    pytest.param(lambda key: key.sign(id_claims(iss=ISSUER + "x")), id="another issuer"),
    pytest.param(
        lambda key: key.sign(id_claims(iss="https://cognito-idp.us-east-1.amazonaws.com/other")),
        id="another pool",
    ),
    pytest.param(lambda key: key.sign(id_claims(exp=id_claims()["iat"] - 120)), id="expired"),
    pytest.param(
        lambda key: key.sign(id_claims(aud="another-client")), id="ID token, other client"
    ),
    pytest.param(
        lambda key: key.sign(access_claims(client_id=PEOPLE_CLIENT)), id="a user's access token"
    ),
    pytest.param(
        lambda key: key.sign(access_claims(client_id="not-allowed")),
        id="access, client not allowed",
    ),
    pytest.param(lambda key: key.sign(id_claims(token_use="refresh")), id="another token_use"),
    pytest.param(
        lambda key: key.sign({k: v for k, v in id_claims().items() if k != "exp"}), id="no exp"
    ),
    pytest.param(
        lambda key: key.sign({k: v for k, v in id_claims().items() if k != "token_use"}),
        id="no token_use",
    ),
    pytest.param(lambda key: _unsigned(id_claims()), id="alg none"),
    pytest.param(
        lambda key: jwt.encode(
            id_claims(), "shared-secret-of-at-least-32-bytes!!", "HS256", {"kid": "pool-key-1"}
        ),
        id="HS256",
    ),
    pytest.param(lambda key: "garbage", id="garbage"),
    pytest.param(lambda key: "a.b.c", id="three garbage segments"),
    pytest.param(lambda key: "", id="empty"),
    pytest.param(lambda key: "Bearer", id="Bearer without a token"),
    pytest.param(lambda key: "Bearer ", id="Bearer and a space"),
    pytest.param(lambda key: f"Basic {key.sign(id_claims())}", id="another scheme"),
    pytest.param(lambda key: f"Bearer {key.sign(id_claims())} x", id="two values"),
]


@pytest.mark.parametrize("make_token", REFUSED)
def test_a_token_this_api_does_not_take_is_refused(
    verifier: TokenVerifier, pool_key: SigningKey, make_token: Any
) -> None:
    with pytest.raises(TokenRefusedError):
        verifier.claims(make_token(pool_key))


def test_no_header_at_all_is_refused(verifier: TokenVerifier) -> None:
    with pytest.raises(TokenRefusedError):
        verifier.claims(None)


def test_a_token_just_past_its_expiry_is_taken_within_the_leeway(
    verifier: TokenVerifier, pool_key: SigningKey
) -> None:
    claims = id_claims()
    claims["exp"] = claims["iat"] - 5

    assert verifier.claims(pool_key.sign(claims))["sub"] == claims["sub"]


def test_the_key_set_is_fetched_once_and_kept(
    verifier: TokenVerifier, pool_key: SigningKey, jwks: JwksServer, clock: Clock
) -> None:
    for _ in range(3):
        verifier.claims(pool_key.sign(id_claims()))
        clock.now += 3600

    assert jwks.fetches == 1


def test_a_new_key_is_fetched_when_a_token_names_it_at_most_once_a_minute(
    verifier: TokenVerifier, pool_key: SigningKey, jwks: JwksServer, clock: Clock
) -> None:
    verifier.claims(pool_key.sign(id_claims()))
    rotated = SigningKey("pool-key-2")
    jwks.keys = [pool_key, rotated]
    clock.now += REFETCH_INTERVAL_SECONDS

    assert verifier.claims(rotated.sign(id_claims()))["token_use"] == "id"
    assert jwks.fetches == 2
    for kid in ("made-up-1", "made-up-2", "made-up-3"):
        with pytest.raises(TokenRefusedError):
            verifier.claims(UNKNOWN.sign(id_claims(), kid=kid))
    assert jwks.fetches == 2  # made-up key ids within the minute fetch nothing

    later = SigningKey("pool-key-3")
    jwks.keys = [pool_key, rotated, later]
    with pytest.raises(TokenRefusedError):
        verifier.claims(later.sign(id_claims()))
    clock.now += REFETCH_INTERVAL_SECONDS
    assert verifier.claims(later.sign(id_claims()))["token_use"] == "id"
    assert jwks.fetches == 3


def test_a_key_set_that_cannot_be_fetched_is_a_failure_not_a_refusal(
    pool_key: SigningKey, clock: Clock
) -> None:
    """API Gateway answers 500 for an authorizer that failed, 401 only for a refused token."""
    with JwksServer([pool_key]).running() as stopped:
        url = stopped.url
    rules = TokenRules(ISSUER, frozenset({PEOPLE_CLIENT}), frozenset({SERVICE_CLIENT}), url)
    verifier = TokenVerifier(rules, SigningKeys(url, clock=clock))

    with pytest.raises(KeysUnavailableError):
        verifier.claims(pool_key.sign(id_claims()))
    with pytest.raises(KeysUnavailableError):
        verifier.claims(pool_key.sign(id_claims()))


def test_the_key_set_is_the_issuers_own_unless_the_environment_says() -> None:
    environment = {
        "TOKEN_ISSUER": ISSUER,
        "PEOPLE_CLIENT_IDS": PEOPLE_CLIENT,
        "SERVICE_CLIENT_IDS": SERVICE_CLIENT,
    }

    assert TokenRules.from_environment(environment).jwks_url == f"{ISSUER}/.well-known/jwks.json"
    assert (
        TokenRules.from_environment({**environment, "JWKS_URL": "http://127.0.0.1:5000/k"}).jwks_url
        == "http://127.0.0.1:5000/k"
    )


def test_a_method_arn_that_is_not_one_is_an_error() -> None:
    with pytest.raises(ValueError, match="not a method ARN"):
        allow(id_claims(), "GET /advisors")
