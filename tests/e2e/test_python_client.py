"""The generated Python client (clients/python) against the local stack, as an integrator uses it:
a token from `make token`, then typed calls and typed answers."""

import httpx
import pytest
from advisor_book_client import AuthenticatedClient
from advisor_book_client.api.advisors import list_advisors
from advisor_book_client.api.assignments import assign_advisor, unassign_advisor
from advisor_book_client.api.clients import get_client
from advisor_book_client.models import (
    AdvisorPage,
    AssignAdvisorRequest,
    Assignment,
    ClientDetail,
    ErrorBody,
)

from tests.e2e.conftest import LocalStack

pytestmark = pytest.mark.usefixtures("invariants_checked")


def api_client(stack: LocalStack) -> AuthenticatedClient:
    """The token itself in Authorization, no prefix, as the API takes it."""
    return AuthenticatedClient(
        base_url=stack.api_url, token=stack.token(), prefix="", timeout=httpx.Timeout(60)
    )


def test_the_client_lists_advisors_and_assigns_a_client(stack: LocalStack) -> None:
    with api_client(stack) as client:
        page = list_advisors.sync(client=client, limit=3)
        assert isinstance(page, AdvisorPage)
        assert len(page.items) == 3
        assert all(advisor.available for advisor in page.items)
        advisor_id = page.items[0].advisor_id

        assigned = assign_advisor.sync(
            "cli-0050", client=client, body=AssignAdvisorRequest(advisor_id=advisor_id)
        )
        detail = get_client.sync("cli-0050", client=client)
        unassigned = unassign_advisor.sync_detailed("cli-0050", client=client)

    assert isinstance(assigned, Assignment)
    assert (assigned.client_id, assigned.advisor_id) == ("cli-0050", advisor_id)
    assert isinstance(detail, ClientDetail)
    assert detail.advisor_id == advisor_id
    assert unassigned.status_code == 204


def test_an_error_comes_back_as_the_typed_error_body(stack: LocalStack) -> None:
    with api_client(stack) as client:
        answer = get_client.sync_detailed("cli-9999", client=client)

    assert answer.status_code == 404
    assert isinstance(answer.parsed, ErrorBody)
    assert answer.parsed.error.code == "not_found"
