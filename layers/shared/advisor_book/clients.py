"""Finding clients, reading one client with its accounts and current advisor, and its
assignment history."""

from typing import TYPE_CHECKING

from advisor_book.auth import Caller
from advisor_book.cursors import CursorCodec
from advisor_book.errors import ForbiddenError, InvalidQueryError, NotFoundError
from advisor_book.models import AssignmentHistoryPage, Client, ClientDetail, ClientPage
from advisor_book.names import search_prefix

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


def find_clients(
    book: "BookStore",
    cursors: CursorCodec,
    caller: Caller,
    *,
    unassigned: bool,
    advisor_id: str | None,
    name: str | None,
    limit: int,
    next_token: str | None,
) -> ClientPage:
    """One page of the clients the filters select, each read by one Query: the clients of
    `advisor_id`, or those without an advisor (`unassigned`), or every client; of those,
    with `name`, the ones whose first or last name starts with it (compared in normal form).

    An advisor finds only their own clients: without advisor_id, theirs; another advisor's
    book is not found, as an unknown advisor's is; the unassigned clients are forbidden them
    (an advisor takes no client by themself)."""
    if unassigned and advisor_id is not None:
        raise InvalidQueryError(
            "unassigned=true and advisor_id select no client together; give one", "unassigned"
        )
    prefix = search_prefix(name) if name is not None else None
    if not caller.sees_every_book:
        if unassigned:
            raise ForbiddenError("advisors find their own clients, not the unassigned ones")
        advisor_id = advisor_id or caller.advisor_id
    filters = {"unassigned": unassigned, "advisor_id": advisor_id, "name": prefix}
    listing = cursors.listing("clients", filters, caller.subject)
    start = listing.start(next_token)
    if advisor_id is not None:
        not_found = NotFoundError(f"advisor {advisor_id} not found")
        if not caller.sees_book_of(advisor_id):
            raise not_found
        page = book.found_clients_of(advisor_id, name=prefix, limit=limit, start=start)
        if page is None:
            raise not_found
    elif unassigned:
        page = book.unassigned_clients(name=prefix, limit=limit, start=start)
    elif prefix is not None:
        page = book.clients_named(prefix, limit=limit, start=start)
    else:
        page = book.all_clients(limit=limit, start=start)
    return ClientPage(items=page.items, next_token=listing.next_token(page))
