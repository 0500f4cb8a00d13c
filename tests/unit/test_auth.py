"""Who may call a route: people by their groups, services by the scopes of their access token,
read from the context the API's authorizer passes on."""

from typing import Any

import pytest

from advisor_book import auth
from advisor_book.errors import ForbiddenError, NotAuthenticatedError
from local.harness.events import ADMIN_CLAIMS, api_event, service_claims, user_claims

READ_ROUTE = auth.ADVISORS_TOO.and_services(auth.READ)
ASSIGN_ROUTE = auth.ADMINS_ONLY.and_services(auth.ASSIGN)
IMPORT_ROUTE = auth.ADMINS_ONLY.and_services(auth.IMPORT)
PEOPLE_ONLY = auth.ADMINS_ONLY


def event_of(claims: dict[str, Any]) -> dict[str, Any]:
    return api_event("GET", "/advisors", claims=claims)


def service(*scopes: str) -> dict[str, Any]:
    return event_of(service_claims("integrator", [f"advisor-book/{s}" for s in scopes]))


@pytest.mark.parametrize(
    ("route", "scope"), [(READ_ROUTE, "read"), (ASSIGN_ROUTE, "assign"), (IMPORT_ROUTE, "import")]
)
def test_a_service_with_the_routes_scope_may_call_it(route: auth.Access, scope: str) -> None:
    caller = auth.authorize(service(scope), route)

    assert caller is not None
    assert (caller.subject, caller.role, set(caller.scopes)) == ("integrator", "service", {scope})


@pytest.mark.parametrize(
    ("route", "scopes"),
    [
        (READ_ROUTE, ("assign", "import")),
        (ASSIGN_ROUTE, ("read", "import")),
        (IMPORT_ROUTE, ("read", "assign")),
        (PEOPLE_ONLY, ("read", "assign", "import")),
    ],
)
def test_a_service_without_the_routes_scope_is_forbidden(
    route: auth.Access, scopes: tuple[str, ...]
) -> None:
    with pytest.raises(ForbiddenError):
        auth.authorize(service(*scopes), route)


def test_scopes_of_another_resource_server_grant_nothing() -> None:
    claims = service_claims("integrator", ["other/read", "read", "advisor-book/read/x"])

    with pytest.raises(ForbiddenError, match="advisor-book/read"):
        auth.authorize(event_of(claims), READ_ROUTE)


def test_a_service_never_acts_as_an_admin_or_an_advisor() -> None:
    claims = service_claims("integrator", ["advisor-book/read"])
    claims |= {"cognito:groups": ["admin", "advisor"], "custom:advisor_id": "adv-001"}

    caller = auth.authorize(event_of(claims), READ_ROUTE)

    assert caller is not None
    assert (caller.role, caller.advisor_id, caller.is_admin) == (auth.SERVICE, None, False)
    with pytest.raises(ForbiddenError):
        auth.authorize(event_of(claims), ASSIGN_ROUTE)


def test_a_users_own_access_token_has_no_role() -> None:
    claims = user_claims("admin", ["admin"]) | {
        "token_use": "access",
        "client_id": "front-end",
        "scope": "aws.cognito.signin.user.admin",
    }

    with pytest.raises(ForbiddenError):
        auth.authorize(event_of(claims), READ_ROUTE)


def test_a_service_reads_every_book() -> None:
    caller = auth.authorize(service("read"), READ_ROUTE)

    assert caller is not None
    assert caller.sees_book_of("adv-001")
    assert caller.sees_book_of(None)


def test_the_authorizer_passes_groups_as_a_json_array_and_services_none() -> None:
    person = auth.authorizer_context(user_claims("x", ["ops,admin", "advisor"], "adv-001"))
    service = auth.authorizer_context(
        service_claims("integrator", ["advisor-book/read"])
        | {"cognito:groups": ["admin"], "custom:advisor_id": "adv-001"}
    )

    assert (person["groups"], person["advisor_id"], person["client_id"]) == (
        '["ops,admin", "advisor"]',
        "adv-001",
        "local",
    )
    assert (service["groups"], service["advisor_id"], service["scopes"]) == (
        "[]",
        "",
        "advisor-book/read",
    )
    assert all(isinstance(value, str) for value in person.values())


@pytest.mark.parametrize(
    "authorizer",
    [
        pytest.param(None, id="no authorizer"),
        pytest.param({"claims": dict(ADMIN_CLAIMS)}, id="a Cognito authorizer's claims"),
        pytest.param({"subject": "", "token_use": "id", "groups": '["admin"]'}, id="no subject"),
        pytest.param({"subject": "x", "token_use": "refresh", "groups": '["admin"]'}, id="refresh"),
        pytest.param(
            {"subject": "x", "token_use": "access", "scopes": "advisor-book/read"},
            id="a service without client",
        ),
    ],
)
def test_a_request_without_the_authorizers_context_is_unauthenticated(
    authorizer: dict[str, Any] | None,
) -> None:
    event = event_of(ADMIN_CLAIMS)
    event["requestContext"]["authorizer"] = authorizer

    with pytest.raises(NotAuthenticatedError):
        auth.authorize(event, READ_ROUTE)


@pytest.mark.parametrize("groups", ["admin", '{"admin": 1}', "[", '[["admin"]]', '"admin"'])
def test_groups_that_are_not_a_json_array_of_names_grant_nothing(groups: str) -> None:
    event = event_of(ADMIN_CLAIMS)
    event["requestContext"]["authorizer"]["groups"] = groups

    with pytest.raises(ForbiddenError):
        auth.authorize(event, READ_ROUTE)


def test_people_keep_their_roles() -> None:
    advisor = user_claims("adv-001", ["advisor"], advisor_id="adv-001")

    assert auth.authorize(event_of(ADMIN_CLAIMS), ASSIGN_ROUTE) is not None
    assert auth.authorize(event_of(advisor), READ_ROUTE) is not None
    with pytest.raises(ForbiddenError):
        auth.authorize(event_of(advisor), ASSIGN_ROUTE)


def test_the_document_says_which_scope_a_route_needs() -> None:
    assert READ_ROUTE.describe() == (
        "admins and advisors (their own book); services with the scope advisor-book/read"
    )
    assert PEOPLE_ONLY.describe() == "admins"
