"""Who may call what, at the handler level: every route times admin, the advisor whose book it
is, another advisor, no identity and a malformed one.

The events carry what the API's authorizer passes on for each caller's token. adv-001's book holds
cli-0001; adv-002 is another advisor with a book of its own (the module's `book_arrangement`).
"""

from collections.abc import Callable
from typing import Any

import pytest

from advisor_book import assignments
from local.harness import template
from local.harness.events import ADMIN_CLAIMS, service_claims, user_claims
from tests.conftest import ARRANGER, HttpResponse, Stores

pytestmark = pytest.mark.shared_book

Api = Callable[..., HttpResponse]

OWN = user_claims("adv-001", ["advisor"], advisor_id="adv-001")
OTHER = user_claims("adv-002", ["advisor"], advisor_id="adv-002")
NO_SUBJECT = {"cognito:groups": ["admin"], "token_use": "id"}

CALLERS: dict[str, dict[str, Any] | None] = {
    "admin": ADMIN_CLAIMS,
    "own advisor": OWN,
    "other advisor": OTHER,
    "no token": None,
    "bad token": NO_SUBJECT,
}

# (method, resource, path parameters, body) -> status for admin, own, other, none, bad.
MATRIX: list[tuple[str, str, dict[str, str], Any, tuple[int, int, int, int, int]]] = [
    ("GET", "/advisors", {}, None, (200, 200, 200, 401, 401)),
    ("GET", "/advisors/{advisor_id}", {"advisor_id": "adv-001"}, None, (200, 200, 200, 401, 401)),
    (
        "GET",
        "/advisors/{advisor_id}/clients",
        {"advisor_id": "adv-001"},
        None,
        (200, 200, 404, 401, 401),
    ),
    (
        "GET",
        "/advisors/{advisor_id}/notification-preferences",
        {"advisor_id": "adv-001"},
        None,
        (200, 200, 404, 401, 401),
    ),
    (
        "PUT",
        "/advisors/{advisor_id}/notification-preferences",
        {"advisor_id": "adv-001"},
        {"email": "adv-001@example.com", "event_types": ["client.assigned"]},
        (200, 200, 404, 401, 401),
    ),
    ("GET", "/clients", {}, None, (200, 200, 200, 401, 401)),
    ("GET", "/clients/{client_id}", {"client_id": "cli-0001"}, None, (200, 200, 404, 401, 401)),
    (
        "GET",
        "/clients/{client_id}/assignments",
        {"client_id": "cli-0001"},
        None,
        (200, 200, 404, 401, 401),
    ),
    (
        "GET",
        "/clients/{client_id}/advisor-suggestions",
        {"client_id": "cli-0001"},
        None,
        (200, 403, 403, 401, 401),
    ),
    (
        "PUT",
        "/clients/{client_id}/advisor",
        {"client_id": "cli-0002"},
        {"advisor_id": "adv-002"},
        (200, 403, 403, 401, 401),
    ),
    (
        "DELETE",
        "/clients/{client_id}/advisor",
        {"client_id": "cli-0003"},
        None,
        (204, 403, 403, 401, 401),
    ),
    ("GET", "/imports", {}, None, (200, 403, 403, 401, 401)),
    (
        "GET",
        "/imports/{import_id}",
        {"import_id": "imp-000000000000000000000000"},
        None,
        (404, 403, 403, 401, 401),
    ),
]

# GET /clients's filters where the statuses differ from its row above: query -> statuses.
FILTER_MATRIX: list[tuple[dict[str, str], tuple[int, int, int, int, int]]] = [
    ({"advisor_id": "adv-001"}, (200, 200, 404, 401, 401)),
    ({"advisor_id": "adv-001", "name": "a"}, (200, 200, 404, 401, 401)),
    ({"unassigned": "true"}, (200, 403, 403, 401, 401)),
    ({"unassigned": "true", "name": "a"}, (200, 403, 403, 401, 401)),
]

CASES = [
    pytest.param(
        method,
        resource,
        params,
        body,
        caller,
        statuses[i],
        id=f"{method} {resource} as {caller}",
        marks=[pytest.mark.writes] if method != "GET" and statuses[i] < 400 else [],
    )
    for method, resource, params, body, statuses in MATRIX
    for i, caller in enumerate(CALLERS)
]


# The one scope that lets a service call each route; with any other it gets 403. None: people
# only, every service gets 403.
SERVICE_SCOPE: dict[tuple[str, str], str | None] = {
    ("GET", "/advisors"): "read",
    ("GET", "/advisors/{advisor_id}"): "read",
    ("GET", "/advisors/{advisor_id}/clients"): "read",
    ("GET", "/advisors/{advisor_id}/notification-preferences"): None,
    ("PUT", "/advisors/{advisor_id}/notification-preferences"): None,
    ("GET", "/clients"): "read",
    ("GET", "/clients/{client_id}"): "read",
    ("GET", "/clients/{client_id}/assignments"): "read",
    ("GET", "/clients/{client_id}/advisor-suggestions"): "read",
    ("PUT", "/clients/{client_id}/advisor"): "assign",
    ("DELETE", "/clients/{client_id}/advisor"): "assign",
    ("GET", "/imports"): "import",
    ("GET", "/imports/{import_id}"): "import",
}
SERVICES: dict[str, tuple[str, ...]] = {
    "service with read": ("read",),
    "service with assign": ("assign",),
    "service with import": ("import",),
    "service with no scope": (),
}
SERVICE_CASES = [
    pytest.param(
        method,
        resource,
        params,
        body,
        scopes,
        statuses[0] if SERVICE_SCOPE[(method, resource)] in scopes else 403,
        id=f"{method} {resource} as {name}",
        marks=[pytest.mark.writes]
        if method != "GET" and SERVICE_SCOPE[(method, resource)] in scopes
        else [],
    )
    for method, resource, params, body, statuses in MATRIX
    for name, scopes in SERVICES.items()
]


@pytest.fixture(scope="module")
def book_arrangement() -> Callable[[Stores], None]:
    """adv-001 holds cli-0001; adv-002 holds cli-0004."""

    def assign_books(stores: Stores) -> None:
        for client_id, advisor_id in (("cli-0001", "adv-001"), ("cli-0004", "adv-002")):
            assignments.assign(stores.assignments, client_id, advisor_id, actor=ARRANGER)

    return assign_books


def test_the_matrix_covers_every_route_that_needs_a_token() -> None:
    """A route added to the API cannot miss its row: the matrix is checked against the
    template, where routes are declared."""
    guarded = {(r.method, r.path) for r in template.routes() if r.authorizer and r.method != "ANY"}

    assert {(method, resource) for method, resource, *_ in MATRIX} == guarded


@pytest.mark.parametrize(("method", "resource", "params", "body", "caller", "status"), CASES)
def test_each_role_gets_what_its_rules_allow(
    api: Api,
    method: str,
    resource: str,
    params: dict[str, str],
    body: Any,
    caller: str,
    status: int,
) -> None:
    response = api(method, resource, body=body, claims=CALLERS[caller], **params)

    assert response.status == status, response.body
    if status >= 400:
        expected_code = {401: "unauthorized", 403: "forbidden", 404: "not_found"}[status]
        assert response.body["error"]["code"] == expected_code


@pytest.mark.parametrize(
    ("query", "caller", "status"),
    [
        pytest.param(query, caller, statuses[i], id=f"GET /clients?{query} as {caller}")
        for query, statuses in FILTER_MATRIX
        for i, caller in enumerate(CALLERS)
    ],
)
def test_each_role_gets_what_its_rules_allow_of_each_client_filter(
    api: Api, query: dict[str, str], caller: str, status: int
) -> None:
    response = api("GET", "/clients", query=query, claims=CALLERS[caller])

    assert response.status == status, response.body
    if status >= 400:
        expected_code = {401: "unauthorized", 403: "forbidden", 404: "not_found"}[status]
        assert response.body["error"]["code"] == expected_code


@pytest.mark.parametrize(
    ("method", "resource", "params", "body", "scopes", "status"), SERVICE_CASES
)
def test_each_service_gets_what_its_scopes_allow(
    api: Api,
    method: str,
    resource: str,
    params: dict[str, str],
    body: Any,
    scopes: tuple[str, ...],
    status: int,
) -> None:
    """A service with a route's scope gets what an admin gets (every book, no 404 for another
    advisor's); with any other scope, 403."""
    claims = service_claims("integrator", [f"advisor-book/{scope}" for scope in scopes])

    response = api(method, resource, body=body, claims=claims, **params)

    assert response.status == status, response.body
    if status == 403:
        assert response.body["error"]["code"] == "forbidden"


def test_the_service_scopes_cover_every_route() -> None:
    assert set(SERVICE_SCOPE) == {(method, resource) for method, resource, *_ in MATRIX}


def test_another_advisors_client_is_answered_exactly_as_an_unknown_one(api: Api) -> None:
    """No probing: the 404 for a client that exists elsewhere is the 404 for no client."""
    theirs = api("GET", "/clients/{client_id}", claims=OWN, client_id="cli-0004")
    unknown = api("GET", "/clients/{client_id}", claims=OWN, client_id="cli-9999")
    their_book = api("GET", "/advisors/{advisor_id}/clients", claims=OWN, advisor_id="adv-002")
    no_book = api("GET", "/advisors/{advisor_id}/clients", claims=OWN, advisor_id="adv-999")

    assert (theirs.status, unknown.status) == (404, 404)
    assert theirs.body["error"]["message"] == "client cli-0004 not found"
    assert unknown.body["error"]["message"] == "client cli-9999 not found"
    assert (their_book.status, no_book.status) == (404, 404)
    assert their_book.body["error"]["message"] == "advisor adv-002 not found"


def test_an_advisor_sees_exactly_their_own_clients(api: Api) -> None:
    listed = api("GET", "/advisors/{advisor_id}/clients", claims=OWN, advisor_id="adv-001")
    unassigned = api("GET", "/clients/{client_id}", claims=OWN, client_id="cli-0002")

    assert [c["client_id"] for c in listed.body["items"]] == ["cli-0001"]
    assert unassigned.status == 404


@pytest.mark.writes
def test_a_client_moved_away_leaves_the_advisors_book_and_history(api: Api) -> None:
    api(
        "PUT",
        "/clients/{client_id}/advisor",
        body={"advisor_id": "adv-002"},
        client_id="cli-0001",
    )

    assert api("GET", "/clients/{client_id}", claims=OWN, client_id="cli-0001").status == 404
    history = api("GET", "/clients/{client_id}/assignments", claims=OWN, client_id="cli-0001")
    assert history.status == 404
    theirs = api("GET", "/clients/{client_id}/assignments", claims=OTHER, client_id="cli-0001")
    assert theirs.status == 200
    assert len(theirs.body["items"]) == 2


@pytest.mark.parametrize(
    "claims",
    [
        pytest.param(user_claims("someone", []), id="in no group"),
        pytest.param(user_claims("adv-001", ["advisor"]), id="advisor without advisor_id"),
        pytest.param(user_claims("x", ["auditors", "readers"]), id="in other groups"),
        pytest.param(user_claims("x", ["ops,admin"]), id="in a group whose name holds admin"),
        pytest.param(user_claims("x", ["[admin]"]), id="in a group named [admin]"),
        pytest.param(user_claims("x", ["admin "]), id="in a group named admin and a space"),
        pytest.param(
            user_claims("x", ["advisor,x"], advisor_id="adv-001"), id="in advisor,x group"
        ),
    ],
)
def test_a_user_without_a_role_is_forbidden_everywhere(
    api: Api, seeded: dict[str, Any], claims: dict[str, Any]
) -> None:
    response = api("GET", "/advisors", claims=claims)

    assert response.status == 403
    assert response.body["error"]["code"] == "forbidden"


def test_a_user_in_both_groups_is_an_admin(api: Api, seeded: dict[str, Any]) -> None:
    both = user_claims("lead", ["advisor", "admin"], advisor_id="adv-001")

    assert api("GET", "/imports", claims=both).status == 200


def test_a_next_token_works_only_for_the_caller_it_was_minted_for(
    api: Api, seeded: dict[str, Any]
) -> None:
    first = api("GET", "/advisors", query={"limit": "2"}, claims=ADMIN_CLAIMS)
    token = first.body["next_token"]
    assert token

    mine = api("GET", "/advisors", query={"limit": "2", "next_token": token}, claims=ADMIN_CLAIMS)
    theirs = api("GET", "/advisors", query={"limit": "2", "next_token": token}, claims=OWN)

    assert mine.status == 200
    assert theirs.status == 400
    assert theirs.body["error"]["code"] == "bad_request"
