"""Reading one client with its accounts and current advisor, and its assignment history."""

from advisor_book.cursors import CursorCodec
from advisor_book.errors import NotFoundError
from advisor_book.models import AssignmentHistoryPage, ClientDetail
from advisor_book.repository import BookRepository


def client_detail(repo: BookRepository, client_id: str) -> ClientDetail:
    client = repo.get_client(client_id)
    if client is None:
        raise NotFoundError(f"client {client_id} not found")
    return ClientDetail.model_validate(client.model_dump())


def assignment_history(
    repo: BookRepository,
    cursors: CursorCodec,
    client_id: str,
    *,
    limit: int,
    next_token: str | None,
) -> AssignmentHistoryPage:
    """Every assign, reassign and unassign of the client, newest first."""
    page = cursors.page(
        f"assignment-history:{client_id}",
        {},
        next_token,
        lambda start: repo.assignment_history(client_id, limit=limit, start=start),
    )
    if page is None:
        raise NotFoundError(f"client {client_id} not found")
    events, token = page
    return AssignmentHistoryPage(client_id=client_id, items=events, next_token=token)
