"""The local gateway's own answers, read from the template: throttling with the stage's rate
and burst, and the CORS header of every gateway response."""

import json

from local.harness import api_settings
from local.stack.gateway import LocalApiGateway

ALLOWED = {"CorsAllowedOrigins": "http://localhost:*"}


class Clock:
    """Time that moves only when the test moves it."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def unrouted(gateway: LocalApiGateway) -> int:
    """A request no route declares: answered by the gateway itself, after its throttling."""
    return gateway.handle("GET", "/nowhere", [("Origin", "http://localhost:3000")], b"").status


def test_requests_beyond_the_stages_burst_are_throttled_until_its_rate_refills() -> None:
    clock = Clock()
    gateway = LocalApiGateway({}, "dev", ALLOWED, clock=clock)
    throttle = api_settings.stage_throttle()
    assert throttle is not None

    burst = [unrouted(gateway) for _ in range(throttle.burst)]
    over = gateway.handle("GET", "/nowhere", [], b"")
    clock.now += 0.5
    refilled = [unrouted(gateway) for _ in range(int(throttle.rate / 2) + 1)]
    clock.now += 3600
    after_a_pause = [unrouted(gateway) for _ in range(throttle.burst)]

    assert set(burst) == {404}
    assert over.status == 429
    assert json.loads(over.body)["error"]["code"] == "throttled"
    assert ("Access-Control-Allow-Origin", "*") in over.headers
    assert refilled == [404] * int(throttle.rate / 2) + [429]
    assert set(after_a_pause) == {404}


def test_every_gateway_answer_carries_the_cors_header_only_when_cors_is_on() -> None:
    on = LocalApiGateway({}, "dev", ALLOWED, clock=Clock())
    off = LocalApiGateway({}, "dev", {"CorsAllowedOrigins": ""}, clock=Clock())

    for kind in ("UNAUTHORIZED", "MISSING_AUTHENTICATION_TOKEN", "REQUEST_TOO_LARGE", "THROTTLED"):
        assert ("Access-Control-Allow-Origin", "*") in on.answer(kind).headers, kind
        assert not any(n.startswith("Access-Control") for n, _ in off.answer(kind).headers), kind


def test_a_crashed_function_is_a_502_with_the_error_body_and_a_request_id() -> None:
    answer = LocalApiGateway({}, "dev", ALLOWED, clock=Clock()).answer("INTEGRATION_FAILURE")

    error = json.loads(answer.body)["error"]
    assert answer.status == 502
    assert error["code"] == "internal_error"
    assert "$context" not in error["message"]
    assert ("Access-Control-Allow-Origin", "*") in answer.headers
