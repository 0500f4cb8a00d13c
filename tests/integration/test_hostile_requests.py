"""Requests built to break the API: each gets the contract's answer or its error body, no 500."""

import json
from collections.abc import Callable
from typing import Any

import pytest

from local.harness.events import ADMIN_CLAIMS, api_event, user_claims
from tests.conftest import HttpResponse

pytestmark = pytest.mark.shared_book

Api = Callable[..., HttpResponse]
Functions = Callable[[str], Callable[[dict[str, Any]], Any]]
ASSIGN = "/clients/{client_id}/advisor"


def put_body(functions: Functions, body: str, content_type: str = "application/json") -> Any:
    event = api_event(
        "PUT",
        ASSIGN,
        path_parameters={"client_id": "cli-0001"},
        headers={"Content-Type": [content_type]},
        body=body,
        claims=ADMIN_CLAIMS,
    )
    response = functions("AssignmentsFunction")(event)
    return response["statusCode"], json.loads(response["body"])


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("[" * 10_000 + "]" * 10_000, id="arrays nested 10,000 deep"),
        pytest.param('{"a":' * 10_000 + "1" + "}" * 10_000, id="objects nested 10,000 deep"),
    ],
)
def test_a_body_nested_thousands_deep_is_a_validation_error(
    functions: Functions, seeded: dict[str, Any], body: str
) -> None:
    status, answer = put_body(functions, body)

    assert status == 422
    assert answer["error"]["code"] == "validation_error"
    assert answer["error"]["details"][0]["message"] == "the body is nested too deeply"


@pytest.mark.parametrize(
    "body",
    ['[{"advisor_id": "adv-001"}]', '"adv-001"', "42", "null", "true"],
)
def test_a_body_that_is_not_a_json_object_is_a_validation_error(
    functions: Functions, seeded: dict[str, Any], body: str
) -> None:
    status, answer = put_body(functions, body)

    assert status == 422
    assert answer["error"]["details"][0]["message"] == "the body must be a JSON object"


def test_a_number_of_thousands_of_digits_is_a_validation_error(
    functions: Functions, seeded: dict[str, Any]
) -> None:
    status, answer = put_body(functions, '{"advisor_id": ' + "9" * 5_000 + "}")

    assert status == 422
    assert answer["error"]["code"] == "validation_error"


@pytest.mark.writes
@pytest.mark.parametrize(
    "content_type",
    ["APPLICATION/JSON", "Application/Json; Charset=UTF-8", " application/json "],
)
def test_media_types_are_compared_case_insensitively(
    functions: Functions, seeded: dict[str, Any], content_type: str
) -> None:
    status, answer = put_body(functions, '{"advisor_id": "adv-001"}', content_type)

    assert (status, answer["advisor_id"]) == (200, "adv-001")


def test_a_json_like_media_type_that_is_not_json_is_415(
    functions: Functions, seeded: dict[str, Any]
) -> None:
    status, answer = put_body(functions, '{"advisor_id": "adv-001"}', "application/jsonp")

    assert (status, answer["error"]["code"]) == (415, "unsupported_media_type")


@pytest.mark.parametrize("client_id", ["cli-0001\n", "cli-0001\r\n", "cli-0001\x00", " cli-0001"])
def test_an_id_is_matched_in_full(api: Api, seeded: dict[str, Any], client_id: str) -> None:
    response = api("GET", "/clients/{client_id}", client_id=client_id)

    assert response.status == 422
    assert response.body["error"]["code"] == "validation_error"


@pytest.mark.writes
def test_an_encoded_slash_in_an_id_does_not_reach_another_route(
    api: Api, seeded: dict[str, Any]
) -> None:
    """API Gateway matched the client route with the id "cli-0001/assignments"; the history
    route, which the decoded path spells, must not run (nor be authorized) in its place."""
    assert api("PUT", ASSIGN, body={"advisor_id": "adv-001"}, client_id="cli-0001").status == 200
    own = user_claims("adv-001", ["advisor"], advisor_id="adv-001")

    for claims in (ADMIN_CLAIMS, own):
        response = api(
            "GET", "/clients/{client_id}", claims=claims, client_id="cli-0001/assignments"
        )
        assert response.status == 422, response.body
        assert "items" not in response.body


def test_a_not_found_never_echoes_control_characters(functions: Functions) -> None:
    event = api_event("GET", "/advisers\x1b[2J\r\nX-Injected: 1", claims=ADMIN_CLAIMS)

    response = functions("AdvisorsFunction")(event)

    assert response["statusCode"] == 404
    message = json.loads(response["body"])["error"]["message"]
    assert message == "no route for GET /advisers%1B%5B2J%0D%0AX-Injected:%201"


@pytest.mark.parametrize(
    "authorizer",
    [
        pytest.param(None, id="no authorizer context"),
        pytest.param({"claims": {"sub": "x", "cognito:groups": "admin"}}, id="Cognito's claims"),
        pytest.param({"principalId": "x", "groups": '["admin"]'}, id="no subject"),
        pytest.param({"subject": "x", "token_use": "none", "groups": '["admin"]'}, id="no kind"),
    ],
)
def test_a_request_the_authorizer_did_not_let_through_is_unauthenticated(
    functions: Functions, authorizer: dict[str, Any] | None
) -> None:
    event = api_event("GET", "/advisors", claims=ADMIN_CLAIMS)
    event["requestContext"]["authorizer"] = authorizer

    response = functions("AdvisorsFunction")(event)

    assert response["statusCode"] == 401
    assert json.loads(response["body"])["error"]["code"] == "unauthorized"
