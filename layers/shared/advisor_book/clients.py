"""Reading one client with its accounts and current advisor, and its assignment history."""

from typing import TYPE_CHECKING

from advisor_book.auth import Caller
from advisor_book.cursors import CursorCodec
from advisor_book.errors import NotFoundError
from advisor_book.models import AssignmentHistoryPage, Client, ClientDetail

if TYPE_CHECKING:
    from advisor_book.store.book import BookStore


def _visible_client(book: "BookStore", caller: Caller, client_id: str) -> Client:
    """The client, if the caller may see it: another advisor's client is not found, exactly
    as an unknown one is."""
    client = book.client(client_id)
    if client is None or not caller.sees_book_of(client.advisor_id):
        raise NotFoundError(f"client {client_id} not found")
    return client


def client_detail(book: "BookStore", caller: Caller, client_id: str) -> tuple[ClientDetail, str]:
    """The client, and the entity tag of its assignment state (for a conditional change)."""
    client = _visible_client(book, caller, client_id)
    return ClientDetail.model_validate(client.model_dump()), client.state_tag


def assignment_history(
    book: "BookStore",
    cursors: CursorCodec,
    caller: Caller,
    client_id: str,
    *,
    limit: int,
    next_token: str | None,
) -> AssignmentHistoryPage:
    """Every assign, reassign and unassign of the client, newest first. An advisor sees the
    history of their current clients only (one more read, the client's, to know whose it is)."""
    if not caller.sees_every_book:
        _visible_client(book, caller, client_id)
    listing = cursors.listing(f"assignment-history:{client_id}", {}, caller.subject)
    page = book.history(client_id, limit=limit, start=listing.start(next_token))
    if page is None:
        raise NotFoundError(f"client {client_id} not found")
    return AssignmentHistoryPage(
        client_id=client_id, items=page.items, next_token=listing.next_token(page)
    )
