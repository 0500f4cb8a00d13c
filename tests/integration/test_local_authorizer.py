"""The local gateway's authorizer step, as API Gateway's: the template's AuthorizerFunction run
as a function (an instance process, as in the local stack), its answer cached per token for the
authorizer's ReauthorizeEvery seconds, a refusal a 401 that is never cached, a failure a 500.
The pool's keys are made in the test and published by a real HTTP server."""

from collections.abc import Iterator
from typing import Any

import pytest

from local.harness import template
from local.stack.gateway import Authorizers, _allows
from local.stack.instances import FunctionPool
from tests.signing import (
    PEOPLE_CLIENT,
    SERVICE_CLIENT,
    JwksServer,
    SigningKey,
    access_claims,
    id_claims,
)

AUTHORIZER = "TokenAuthorizer"
# What the authorizer's environment resolves from: the pool and app clients of tests.signing.
REFS = {
    "BookTable": "BookTable",
    "UserPool": "us-east-1_Test",
    "UserPoolClient": PEOPLE_CLIENT,
    "IntegratorClient": SERVICE_CLIENT,
}


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class CountedPool(FunctionPool):
    """The function's real instances, counting the events sent to them."""

    invocations = 0

    def invoke(self, event: dict[str, Any], request_id: str | None = None) -> Any:
        self.invocations += 1
        return super().invoke(event, request_id)


@pytest.fixture(scope="module")
def key() -> SigningKey:
    return SigningKey("pool-key")


@pytest.fixture(scope="module")
def jwks(key: SigningKey) -> Iterator[JwksServer]:
    with JwksServer([key]).running() as server:
        yield server


@pytest.fixture(scope="module")
def pool(jwks: JwksServer) -> Iterator[CountedPool]:
    (authorizer,) = template.authorizers().values()
    function = template.functions()[authorizer.function]
    started = CountedPool(function, REFS, limit=1, overrides={"JWKS_URL": jwks.url})
    yield started
    started.stop()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def authorizers(pool: CountedPool, clock: Clock) -> Authorizers:
    return Authorizers({pool.function.logical_id: pool}, "dev", clock)


def _decide(authorizers: Authorizers, authorization: str | None, path: str = "/advisors") -> Any:
    headers = [("Authorization", authorization)] if authorization is not None else []
    return authorizers.decide(AUTHORIZER, headers, "GET", path)


def test_a_good_token_reaches_the_function_with_the_authorizers_context(
    authorizers: Authorizers, key: SigningKey
) -> None:
    claims = id_claims(**{"cognito:groups": ["admin"]})

    context = _decide(authorizers, key.sign(claims))

    assert context == {
        "subject": claims["sub"],
        "token_use": "id",
        "client_id": PEOPLE_CLIENT,
        "groups": '["admin"]',
        "advisor_id": "adv-001",
        "scopes": "",
        "principalId": claims["sub"],
    }


def test_an_answer_is_kept_per_token_across_routes_until_reauthorization(
    authorizers: Authorizers, pool: CountedPool, key: SigningKey, clock: Clock
) -> None:
    token = f"Bearer {key.sign(access_claims())}"
    before = pool.invocations

    first = _decide(authorizers, token, "/advisors")
    other_route = _decide(authorizers, token, "/imports")
    clock.now += template.authorizer(AUTHORIZER).reauthorize_every - 1
    still_kept = _decide(authorizers, token, "/clients/cli-0001")
    after_one_call = pool.invocations - before
    clock.now += 1
    asked_again = _decide(authorizers, token, "/advisors")

    assert first == other_route == still_kept == asked_again
    assert first["token_use"] == "access"
    assert after_one_call == 1
    assert pool.invocations - before == 2


def test_a_refused_token_is_a_401_asked_again_every_time(
    authorizers: Authorizers, pool: CountedPool, key: SigningKey
) -> None:
    token = key.sign(id_claims(aud="another-client"))
    before = pool.invocations

    answers = [_decide(authorizers, token) for _ in range(2)]

    assert answers == ["UNAUTHORIZED", "UNAUTHORIZED"]
    assert pool.invocations - before == 2


@pytest.mark.parametrize("authorization", [None, ""])
def test_no_token_is_a_401_without_asking_the_authorizer(
    authorizers: Authorizers, pool: CountedPool, authorization: str | None
) -> None:
    before = pool.invocations

    assert _decide(authorizers, authorization) == "UNAUTHORIZED"
    assert pool.invocations == before


def test_an_authorizer_that_fails_is_a_500(clock: Clock, key: SigningKey) -> None:
    """Its key set unreachable: not a refusal of the token, a failure of the authorizer."""
    with JwksServer([key]).running() as stopped:
        unreachable = stopped.url
    (authorizer,) = template.authorizers().values()
    function = template.functions()[authorizer.function]
    pool = FunctionPool(function, REFS, limit=1, overrides={"JWKS_URL": unreachable})
    try:
        answer = _decide(
            Authorizers({function.logical_id: pool}, "dev", clock), key.sign(id_claims())
        )
    finally:
        pool.stop()

    assert answer == "AUTHORIZER_FAILURE"


ARN = "arn:aws:execute-api:us-east-1:123456789012:local/dev/GET/advisors"


@pytest.mark.parametrize(
    ("statements", "allowed"),
    [
        ([{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": ARN}], True),
        ([{"Effect": "Allow", "Action": "*", "Resource": ["arn:aws:execute-api:*/dev/*/*"]}], True),
        ([{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": ARN + "/x"}], False),
        ([{"Effect": "Deny", "Action": "execute-api:Invoke", "Resource": ARN}], False),
        (
            [
                {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*"},
                {"Effect": "Deny", "Action": "execute-api:*", "Resource": ARN},
            ],
            False,
        ),
        ([], False),
    ],
)
def test_a_policy_allows_a_method_only_when_an_allow_matches_and_no_deny(
    statements: list[dict[str, Any]], allowed: bool
) -> None:
    """What decides between the function and the ACCESS_DENIED response (403)."""
    assert _allows({"Version": "2012-10-17", "Statement": statements}, ARN) is allowed
