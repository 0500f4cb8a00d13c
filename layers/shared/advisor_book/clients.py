"""Reading one client with its accounts and current advisor, and its assignment history."""

from advisor_book.auth import Caller
from advisor_book.cursors import CursorCodec
from advisor_book.errors import NotFoundError
from advisor_book.models import AssignmentHistoryPage, ClientDetail
from advisor_book.repository import BookRepository


def client_detail(repo: BookRepository, caller: Caller, client_id: str) -> ClientDetail:
    """The client, if the caller may see it: another advisor's client is not found."""
    client = repo.get_client(client_id)
    if client is None or not caller.sees_book_of(client.advisor_id):
        raise NotFoundError(f"client {client_id} not found")
    return ClientDetail.model_validate(client.model_dump())


def assignment_history(
    repo: BookRepository,
    cursors: CursorCodec,
    caller: Caller,
    client_id: str,
    *,
    limit: int,
    next_token: str | None,
) -> AssignmentHistoryPage:
    """Every assign, reassign and unassign of the client, newest first. An advisor sees the
    history of their current clients only (one more read: the client's current advisor)."""
    if not caller.is_admin and not caller.sees_book_of(repo.current_advisor(client_id)):
        raise NotFoundError(f"client {client_id} not found")
    page = cursors.for_caller(caller.subject).page(
        f"assignment-history:{client_id}",
        {},
        next_token,
        lambda start: repo.assignment_history(client_id, limit=limit, start=start),
    )
    if page is None:
        raise NotFoundError(f"client {client_id} not found")
    events, token = page
    return AssignmentHistoryPage(client_id=client_id, items=events, next_token=token)
