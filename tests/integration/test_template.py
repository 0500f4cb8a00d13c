"""What template.yaml promises: every route served by its own function, least privilege."""

import json
from collections.abc import Callable
from typing import Any

import pytest

from advisor_book import auth
from local.harness import api_settings, template
from local.harness.events import ADMIN_CLAIMS, api_event
from local.tools import openapi

pytestmark = pytest.mark.shared_book

Functions = Callable[[str], Callable[[dict[str, Any]], Any]]

READ_ONLY = {"AdvisorsFunction", "ClientsFunction", "ImportsFunction"}
WRITE_ACTIONS = {
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:PartiQLInsert",
    "dynamodb:PartiQLUpdate",
    "dynamodb:PartiQLDelete",
}


def actions_of(logical_id: str) -> set[str]:
    properties = template.resources_of_type("AWS::Serverless::Function")[logical_id]["Properties"]
    found: set[str] = set()
    for policy in properties.get("Policies", []):
        assert isinstance(policy, dict)
        assert set(policy) == {"Statement"}, "only inline statements, no managed policies"
        for statement in policy["Statement"]:
            action = statement["Action"]
            found |= {action} if isinstance(action, str) else set(action)
    return found


def test_the_template_routes_to_each_function_exactly_the_routes_it_declares() -> None:
    routed: dict[str, set[tuple[str, str]]] = {}
    for route in template.operations():
        routed.setdefault(route.function, set()).add((route.method, route.path))

    assert routed == openapi.declared_operations()


def test_the_contracts_routes_are_all_served() -> None:
    """DESIGN's v1 routes, whatever else is added."""
    served = {(r.method, r.path) for r in template.routes()}

    assert {
        ("GET", "/advisors"),
        ("GET", "/advisors/{advisor_id}"),
        ("GET", "/advisors/{advisor_id}/clients"),
        ("PUT", "/clients/{client_id}/advisor"),
        ("DELETE", "/clients/{client_id}/advisor"),
        ("GET", "/clients/{client_id}"),
        ("GET", "/imports"),
        ("GET", "/imports/{import_id}"),
        ("GET", "/openapi.json"),
        ("GET", "/swagger"),
    } <= served


def test_no_single_function_serves_every_route() -> None:
    owners = {r.function for r in template.routes()}

    assert len(owners) > 1


@pytest.mark.parametrize("route", template.routes(), ids=lambda r: f"{r.method} {r.path}")
def test_every_declared_route_is_handled_by_its_function(
    functions: Functions, route: template.Route
) -> None:
    names = [part.strip("{}") for part in route.path.split("/") if part.startswith("{")]
    method = "PATCH" if route.method == "ANY" else route.method
    event = api_event(
        method, route.path, path_parameters={n: "unknown-id" for n in names}, claims=ADMIN_CLAIMS
    )

    response = functions(route.function)(event)

    assert "no route for" not in (response["body"] or "")


@pytest.mark.parametrize("logical_id", sorted(READ_ONLY))
def test_read_functions_cannot_write(logical_id: str) -> None:
    actions = actions_of(logical_id)

    assert actions
    assert not actions & WRITE_ACTIONS
    assert "dynamodb:Scan" not in actions


def test_no_function_has_wildcard_actions() -> None:
    for logical_id in template.resources_of_type("AWS::Serverless::Function"):
        assert not any("*" in action for action in actions_of(logical_id)), logical_id


def test_every_ingest_event_that_fails_for_good_reaches_the_failures_queue_then_the_dlq() -> None:
    """An S3 event Lambda gives up on and a continuation SQS gives up on both come to the
    queue whose events mark the import FAILED; what that fails on reaches the dead-letter
    queue, where the ingest also moves what it handled."""
    ingest = template.functions()["IngestFunction"]
    assert ingest.async_failures.on_failure == "ImportFailuresQueue"
    redrive = template.redrive_policy
    assert redrive("IngestContinuationQueue") == template.RedrivePolicy("ImportFailuresQueue", 3)
    assert redrive("ImportFailuresQueue") == template.RedrivePolicy("IngestDeadLetterQueue", 6)
    assert redrive("IngestDeadLetterQueue") is None
    consumed = {(t.queue, t.function) for t in template.queue_triggers()}
    assert consumed == {
        ("IngestContinuationQueue", "IngestFunction"),
        ("ImportFailuresQueue", "IngestFunction"),
    }


def test_the_ingest_may_use_each_queue_only_as_its_part_needs() -> None:
    """Consume the continuation and failures queues, send continuations and keep failed
    events (SAM adds the send to the on-failure destination itself)."""
    function = template.resources_of_type("AWS::Serverless::Function")["IngestFunction"]
    granted: dict[str, set[str]] = {}
    for policy in function["Properties"]["Policies"]:
        for statement in policy["Statement"]:
            actions = statement["Action"]
            actions = {actions} if isinstance(actions, str) else set(actions)
            if any(action.startswith("sqs:") for action in actions):
                granted[statement["Resource"]["Fn::GetAtt"][0]] = actions
    consume = {"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"}
    assert granted == {
        "IngestContinuationQueue": consume | {"sqs:SendMessage"},
        "ImportFailuresQueue": consume,
        "IngestDeadLetterQueue": {"sqs:SendMessage"},
    }


def test_the_table_is_on_demand_with_two_overloaded_indexes() -> None:
    definition = template.table_definition("t")

    assert definition["BillingMode"] == "PAY_PER_REQUEST"
    assert [i["IndexName"] for i in definition["GlobalSecondaryIndexes"]] == ["GSI1", "GSI2"]


def test_every_documented_resource_answers_undeclared_methods_with_405(
    functions: Functions,
) -> None:
    documentation = {"/openapi.json", "/swagger"}
    resources = {r.path for r in template.operations() if r.path not in documentation}
    catch_alls = {r.path for r in template.routes() if r.method == "ANY"}

    assert catch_alls == resources


def test_every_operation_but_the_documentation_and_health_is_behind_the_token_authorizer() -> None:
    public = {(r.method, r.path) for r in template.operations() if r.authorizer is None}

    assert public == {("GET", "/openapi.json"), ("GET", "/swagger"), ("GET", "/health")}
    assert {r.authorizer for r in template.routes()} == {None, "TokenAuthorizer"}


def test_only_administrators_create_users_and_set_their_advisor_id() -> None:
    (pool,) = template.resources_of_type("AWS::Cognito::UserPool").values()
    client = template.resources_of_type("AWS::Cognito::UserPoolClient")["UserPoolClient"]
    groups = template.resources_of_type("AWS::Cognito::UserPoolGroup").values()

    assert pool["Properties"]["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    assert [a["Name"] for a in pool["Properties"]["Schema"]] == ["advisor_id"]
    assert "custom:advisor_id" in client["Properties"]["ReadAttributes"]
    assert "custom:advisor_id" not in client["Properties"]["WriteAttributes"]
    assert client["Properties"]["GenerateSecret"] is False
    assert sorted(g["Properties"]["GroupName"] for g in groups) == ["admin", "advisor"]


def test_the_integrators_client_gets_exactly_the_scopes_the_routes_name() -> None:
    """Services use the client-credentials grant only, with the resource server's scopes,
    which are the ones auth.py knows."""
    (server,) = template.resources_of_type("AWS::Cognito::UserPoolResourceServer").values()
    client = template.resources_of_type("AWS::Cognito::UserPoolClient")["IntegratorClient"]
    properties = client["Properties"]

    assert server["Properties"]["Identifier"] == auth.RESOURCE_SERVER
    assert [s["ScopeName"] for s in server["Properties"]["Scopes"]] == list(auth.SCOPES)
    assert properties["GenerateSecret"] is True
    assert properties["AllowedOAuthFlows"] == ["client_credentials"]
    assert properties["AllowedOAuthFlowsUserPoolClient"] is True
    assert properties["AllowedOAuthScopes"] == [auth.scope_name(s) for s in auth.SCOPES]
    assert properties["ExplicitAuthFlows"] == ["ALLOW_REFRESH_TOKEN_AUTH"]  # no user signs in


def test_the_gateway_answers_missing_and_bad_tokens_with_the_error_body() -> None:
    unauthorized = api_settings.gateway_response("UNAUTHORIZED")

    assert unauthorized.status == 401
    assert json.loads(unauthorized.body)["error"]["code"] == "unauthorized"


def test_every_resource_answers_a_browsers_preflight_without_a_token() -> None:
    """A preflight never carries the Authorization header: an OPTIONS behind the authorizer
    (or the catch-all ANY routes, which are) would be a 401 and the browser would stop."""
    resources = {r.path for r in template.operations()}
    preflights = {
        r.path: r for r in template.routes() if r.method == "OPTIONS" and r.authorizer is None
    }

    assert set(preflights) == resources
    assert {r.function for r in preflights.values()} == {"DocsFunction"}


def test_the_functions_allow_the_origins_of_the_parameter_none_by_default() -> None:
    parameter = template.load()["Parameters"]["CorsAllowedOrigins"]

    assert parameter["Default"] == ""
    for function in template.functions().values():
        assert function.environment["CORS_ALLOWED_ORIGINS"] == {"Ref": "CorsAllowedOrigins"}


GATEWAY_RESPONSES = [
    "UNAUTHORIZED",
    "MISSING_AUTHENTICATION_TOKEN",
    "REQUEST_TOO_LARGE",
    "THROTTLED",
    "INTEGRATION_FAILURE",
]


@pytest.mark.parametrize("kind", GATEWAY_RESPONSES)
def test_api_gateways_own_answers_are_readable_by_pages_only_when_cors_is_on(kind: str) -> None:
    on = api_settings.gateway_response(kind, {"CorsAllowedOrigins": "https://app.example.com"})
    off = api_settings.gateway_response(kind, {"CorsAllowedOrigins": ""})

    assert dict(on.headers) == {"Access-Control-Allow-Origin": "*"}
    assert off.headers == ()
    assert "error" in json.loads(on.body)


def test_every_gateway_response_of_the_template_carries_the_cors_header() -> None:
    (api,) = template.resources_of_type("AWS::Serverless::Api").values()
    declared = api["Properties"]["GatewayResponses"]

    assert {"DEFAULT_4XX", "DEFAULT_5XX", "THROTTLED", "UNAUTHORIZED"} <= set(declared)
    for kind, response in declared.items():
        headers = response["ResponseParameters"]["Headers"]
        assert headers["Access-Control-Allow-Origin"] == {
            "Fn::If": ["CorsEnabled", "'*'", {"Ref": "AWS::NoValue"}]
        }, kind


def test_throttling_is_a_429_with_its_own_error_code() -> None:
    throttled = api_settings.gateway_response("THROTTLED")

    assert throttled.status == 429
    assert json.loads(throttled.body)["error"]["code"] == "throttled"
    assert api_settings.stage_throttle() == api_settings.Throttle(rate=100, burst=200)


def test_bodies_of_a_kilobyte_or_more_are_compressed() -> None:
    assert api_settings.minimum_compression_size() == 1024
