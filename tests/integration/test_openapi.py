"""The OpenAPI document: generated from the routes, committed, current, and served."""

import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from local.harness import template
from local.harness.events import api_event
from local.tools import openapi

pytestmark = pytest.mark.shared_book

Functions = Callable[[str], Callable[[dict[str, Any]], Any]]
COMMITTED: dict[str, Any] = json.loads(openapi.DOCUMENT.read_text())
# Every operation but the two that serve the document itself.
API_ROUTES = [r for r in template.operations() if r.path not in ("/openapi.json", "/swagger")]


def test_committed_document_equals_the_generated_one() -> None:
    assert openapi.DOCUMENT.read_text() == openapi.generate(), "run `make openapi`"


@pytest.mark.parametrize("route", API_ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_every_route_is_documented_with_its_success_and_errors(route: template.Route) -> None:
    operation = COMMITTED["paths"][route.path][route.method.lower()]

    codes = set(operation["responses"])

    assert codes & {"200", "204"}
    assert {"429", "500"} <= codes  # API Gateway's throttling, and the unexpected
    if route.authorizer is not None:
        assert {"401", "404", "413", "422"} <= codes
    else:
        assert operation["security"] == []
    for code in codes - {"200", "204"}:
        schema = operation["responses"][code]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/ErrorBody"}
    assert operation["summary"]
    assert operation["description"]


def test_only_the_contracts_routes_are_documented() -> None:
    documented = {(m.upper(), p) for p, item in COMMITTED["paths"].items() for m in item}

    assert documented == {(r.method, r.path) for r in API_ROUTES}


def test_money_is_documented_as_a_decimal_string() -> None:
    schemas = COMMITTED["components"]["schemas"]

    for name, field in [("ClientSummary", "total_value"), ("AdvisorDetail", "total_assets")]:
        assert schemas[name]["properties"][field]["type"] == "string"
        assert schemas[name]["properties"][field]["pattern"] == r"^\d+\.\d{2}$"


def test_the_security_scheme_says_how_to_get_a_token_locally() -> None:
    scheme = COMMITTED["components"]["securitySchemes"][openapi.SECURITY_SCHEME]

    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "Authorization")
    assert "`make token`" in scheme["description"]
    assert "`make token ADVISOR=<advisor id>`" in scheme["description"]


def test_services_get_tokens_with_the_client_credentials_flow() -> None:
    scheme = COMMITTED["components"]["securitySchemes"][openapi.SERVICE_SCHEME]

    flow = scheme["flows"]["clientCredentials"]
    assert scheme["type"] == "oauth2"
    assert flow["tokenUrl"].endswith("/oauth2/token")
    assert set(flow["scopes"]) == {
        "advisor-book/read",
        "advisor-book/assign",
        "advisor-book/import",
    }
    assert "`make token CLIENT=IntegratorClient`" in scheme["description"]


GUARDED_ROUTES = [r for r in API_ROUTES if r.authorizer]


def test_a_public_operation_needs_no_credentials() -> None:
    public = [r for r in API_ROUTES if not r.authorizer]

    assert [(r.method, r.path) for r in public] == [("GET", "/health")]
    assert COMMITTED["paths"]["/health"]["get"]["security"] == []


@pytest.mark.parametrize("route", GUARDED_ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_every_operation_names_the_people_and_the_scope_it_needs(route: template.Route) -> None:
    operation = COMMITTED["paths"][route.path][route.method.lower()]

    people, *services = operation["security"]
    assert people == {openapi.SECURITY_SCHEME: []}
    if not services:  # people only
        assert "services" not in operation["x-access"]
        return
    ((scope,),) = (granted[openapi.SERVICE_SCHEME] for granted in services)
    assert operation["x-access"].endswith(f"services with the scope {scope}")


def test_the_document_is_served_with_the_requests_base_path(functions: Functions) -> None:

    event = api_event("GET", "/openapi.json", stage="prod")

    response = functions("DocsFunction")(event)

    assert response["statusCode"] == 200
    served = json.loads(response["body"])
    assert served["servers"] == [{"url": "/prod"}]
    assert served["paths"] == COMMITTED["paths"]


def test_swagger_ui_embeds_everything_it_needs(functions: Functions) -> None:
    response = functions("DocsFunction")(api_event("GET", "/swagger"))

    assert response["statusCode"] == 200
    assert response["multiValueHeaders"]["Content-Type"][0].startswith("text/html")
    html = response["body"]
    assert "SwaggerUIBundle" in html
    assert '"title": "advisor-book"' in html
    assert not re.search(r"""(src|href)=["']https?://""", html)


# The operationIds integrators' generated clients name their methods by: changing one breaks
# them, so each is fixed here, and a new route adds its own.
OPERATION_IDS = {
    ("GET", "/advisors"): "listAdvisors",
    ("GET", "/advisors/{advisor_id}"): "getAdvisor",
    ("GET", "/advisors/{advisor_id}/clients"): "listAdvisorClients",
    ("GET", "/advisors/{advisor_id}/notification-preferences"): "getNotificationPreferences",
    ("PUT", "/advisors/{advisor_id}/notification-preferences"): "putNotificationPreferences",
    ("GET", "/clients"): "listClients",
    ("GET", "/clients/{client_id}"): "getClient",
    ("GET", "/clients/{client_id}/assignments"): "listAssignmentHistory",
    ("GET", "/clients/{client_id}/advisor-suggestions"): "suggestAdvisors",
    ("PUT", "/clients/{client_id}/advisor"): "assignAdvisor",
    ("DELETE", "/clients/{client_id}/advisor"): "unassignAdvisor",
    ("GET", "/imports"): "listImports",
    ("GET", "/imports/{import_id}"): "getImport",
    ("GET", "/health"): "getHealth",
}


def test_operation_ids_stay_as_integrators_know_them() -> None:
    generated = json.loads(openapi.generate())
    operation_ids = {
        (method.upper(), path): operation["operationId"]
        for path, item in generated["paths"].items()
        for method, operation in item.items()
    }

    assert operation_ids == OPERATION_IDS
