"""Which token a route's authorizer takes, read from the template as API Gateway reads it: a
method's own AuthorizationScopes, else its authorizer's, else none (an ID token)."""

import copy
from typing import Any

import pytest

from local.harness import template


@pytest.fixture
def edited(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A copy of the template that the test may change, read in its place."""
    document = copy.deepcopy(template.load())
    monkeypatch.setattr(template, "load", lambda: document)
    return document


def _scopes_of(method: str, path: str) -> tuple[str, ...]:
    (route,) = [r for r in template.routes() if (r.method, r.path) == (method, path)]
    return route.scopes


def test_the_templates_methods_take_id_tokens(edited: dict[str, Any]) -> None:
    assert {r.scopes for r in template.routes()} == {()}


def test_a_methods_own_scopes_and_its_authorizers_default(edited: dict[str, Any]) -> None:
    api = edited["Resources"]["BookApi"]["Properties"]["Auth"]
    api["Authorizers"]["CognitoAuthorizer"]["AuthorizationScopes"] = ["advisor-book/read"]
    events = edited["Resources"]["AssignmentsFunction"]["Properties"]["Events"]
    events["AssignAdvisor"]["Properties"]["Auth"] = {"AuthorizationScopes": ["advisor-book/assign"]}

    assert _scopes_of("GET", "/advisors") == ("advisor-book/read",)
    assert _scopes_of("PUT", "/clients/{client_id}/advisor") == ("advisor-book/assign",)
    assert _scopes_of("GET", "/openapi.json") == ()
