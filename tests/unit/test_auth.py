"""Who may call a route: people by their groups, services by the scopes of their access token."""

from typing import Any

import pytest

from advisor_book import auth
from advisor_book.errors import ForbiddenError, NotAuthenticatedError
from local.harness.events import (
    ADMIN_CLAIMS,
    api_event,
    service_claims,
    unverified_token,
    user_claims,
)

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


def test_the_token_kind_must_be_the_one_the_authorizer_verified() -> None:
    """An ID token's claims beside an access token of the same subject is not a service."""
    access = service_claims("integrator", ["advisor-book/read"]) | {"sub": ADMIN_CLAIMS["sub"]}
    event = event_of(ADMIN_CLAIMS)
    event["headers"]["Authorization"] = unverified_token(access)

    with pytest.raises(NotAuthenticatedError):
        auth.authorize(event, READ_ROUTE)


def test_an_access_token_must_name_the_client_the_authorizer_saw() -> None:
    event = service("read")
    event["requestContext"]["authorizer"]["claims"]["client_id"] = "another"

    with pytest.raises(NotAuthenticatedError):
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
