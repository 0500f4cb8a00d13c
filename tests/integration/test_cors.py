"""Pages on other origins calling the API: the functions' CORS headers, their preflights, and
the public health check, with the origins a deployment's CorsAllowedOrigins parameter allows."""

from collections.abc import Callable
from typing import Any

import pytest

from local.harness.events import ADMIN_CLAIMS, api_event

Functions = Callable[[str], Callable[[dict[str, Any]], Any]]

ORIGINS = "https://app.example.com, http://localhost:*"
APP = "https://app.example.com"


@pytest.fixture
def resources(resources: dict[str, str], request: pytest.FixtureRequest) -> dict[str, str]:
    """The template's resources, and its CorsAllowedOrigins parameter as this test sets it."""
    return {**resources, "CorsAllowedOrigins": getattr(request, "param", ORIGINS)}


def call(
    functions: Functions,
    function: str,
    method: str,
    resource: str,
    origin: str | None,
    *,
    claims: dict[str, Any] | None = ADMIN_CLAIMS,
    body: str | None = None,
    **path_parameters: str,
) -> dict[str, Any]:
    headers = {"Origin": [origin]} if origin else {}
    if body is not None:
        headers["Content-Type"] = ["application/json"]
    event = api_event(
        method,
        resource,
        path_parameters=path_parameters,
        headers=headers,
        body=body,
        claims=claims,
    )
    response: dict[str, Any] = functions(function)(event)
    return response


def headers_of(response: dict[str, Any]) -> dict[str, str]:
    single = dict(response.get("headers") or {})
    multi = response.get("multiValueHeaders") or {}
    return single | {name: ",".join(values) for name, values in multi.items()}


@pytest.mark.parametrize(
    ("function", "method", "resource", "claims", "body", "parameters", "status"),
    [
        pytest.param("AdvisorsFunction", "GET", "/advisors", ADMIN_CLAIMS, None, {}, 200, id="200"),
        pytest.param(
            "AdvisorsFunction", "GET", "/advisors", None, None, {}, 401, id="401 before the router"
        ),
        pytest.param(
            "ClientsFunction",
            "GET",
            "/clients/{client_id}",
            ADMIN_CLAIMS,
            None,
            {"client_id": "cli-9999"},
            404,
            id="404 of the domain",
        ),
        pytest.param(
            "AssignmentsFunction",
            "PUT",
            "/clients/{client_id}/advisor",
            ADMIN_CLAIMS,
            "{",
            {"client_id": "cli-0001"},
            422,
            id="422 of a malformed body",
        ),
        pytest.param(
            "DocsFunction", "PATCH", "/advisors", ADMIN_CLAIMS, None, {}, 405, id="405 of the docs"
        ),
    ],
)
def test_every_answer_to_an_allowed_origin_lets_the_page_read_it(
    functions: Functions,
    seeded: dict[str, Any],
    function: str,
    method: str,
    resource: str,
    claims: dict[str, Any] | None,
    body: str | None,
    parameters: dict[str, str],
    status: int,
) -> None:
    response = call(
        functions, function, method, resource, APP, claims=claims, body=body, **parameters
    )

    headers = headers_of(response)
    assert response["statusCode"] == status
    assert headers["Access-Control-Allow-Origin"] == APP
    assert headers["Vary"] == "Origin"
    assert set(headers["Access-Control-Expose-Headers"].split(",")) >= {"ETag", "Allow"}


@pytest.mark.parametrize(
    "origin", ["http://localhost:5173", "http://localhost:1", "http://localhost:65535"]
)
def test_an_origin_allowed_on_any_port_is_allowed_on_each(
    functions: Functions, seeded: dict[str, Any], origin: str
) -> None:
    response = call(functions, "AdvisorsFunction", "GET", "/advisors", origin)

    assert headers_of(response)["Access-Control-Allow-Origin"] == origin


@pytest.mark.parametrize(
    "origin",
    [
        "https://evil.example",
        "http://app.example.com",
        "https://app.example.com.evil.example",
        "http://localhost",
        "http://localhost:",
        "http://localhost:5173.evil.example",
        "http://localhost.evil.example:80",
        "https://localhost:5173",
        "null",
    ],
)
def test_another_origin_gets_no_cors_header(
    functions: Functions, seeded: dict[str, Any], origin: str
) -> None:
    response = call(functions, "AdvisorsFunction", "GET", "/advisors", origin)

    headers = headers_of(response)
    assert response["statusCode"] == 200
    assert not any(name.startswith("Access-Control-") for name in headers)
    assert headers["Vary"] == "Origin"


@pytest.mark.parametrize("resources", [""], indirect=True)
def test_with_no_allowed_origin_no_answer_has_a_cors_header(
    functions: Functions, seeded: dict[str, Any]
) -> None:
    answers = [
        call(functions, "AdvisorsFunction", "GET", "/advisors", APP),
        call(functions, "AdvisorsFunction", "GET", "/advisors", APP, claims=None),
        call(functions, "DocsFunction", "OPTIONS", "/advisors", APP, claims=None),
    ]

    assert [a["statusCode"] for a in answers] == [200, 401, 204]
    for answer in answers:
        assert not any(name.startswith(("Access-Control-", "Vary")) for name in headers_of(answer))


@pytest.mark.parametrize("resources", ["*"], indirect=True)
def test_with_any_origin_allowed_every_origin_reads_the_answers(
    functions: Functions, seeded: dict[str, Any]
) -> None:
    response = call(functions, "AdvisorsFunction", "GET", "/advisors", "https://anyone.example")

    assert headers_of(response)["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    ("resource", "parameters", "methods"),
    [
        ("/advisors", {}, "GET,OPTIONS"),
        ("/clients/{client_id}/advisor", {"client_id": "cli-0001"}, "DELETE,OPTIONS,PUT"),
        ("/health", {}, "GET,OPTIONS"),
    ],
)
def test_a_preflight_is_answered_without_a_token_with_the_resources_methods(
    functions: Functions, resource: str, parameters: dict[str, str], methods: str
) -> None:
    response = call(functions, "DocsFunction", "OPTIONS", resource, APP, claims=None, **parameters)

    headers = headers_of(response)
    assert response["statusCode"] == 204
    assert headers["Access-Control-Allow-Origin"] == APP
    assert headers["Access-Control-Allow-Methods"] == methods
    allowed_headers = {h.lower() for h in headers["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "content-type", "if-match"} <= allowed_headers
    assert int(headers["Access-Control-Max-Age"]) > 0


def test_a_preflight_from_another_origin_allows_nothing(functions: Functions) -> None:
    response = call(
        functions, "DocsFunction", "OPTIONS", "/advisors", "https://evil.example", claims=None
    )

    assert response["statusCode"] == 204
    assert not any(name.startswith("Access-Control-") for name in headers_of(response))


def test_the_health_check_is_public_and_says_only_ok(functions: Functions) -> None:
    response = call(functions, "DocsFunction", "GET", "/health", APP, claims=None)

    assert response["statusCode"] == 200
    assert response["body"] == '{"status":"ok"}'
    assert headers_of(response)["Access-Control-Allow-Origin"] == APP
