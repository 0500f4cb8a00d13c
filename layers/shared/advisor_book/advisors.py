"""Reading the advisor directory and an advisor's book of clients."""

from typing import TYPE_CHECKING

from advisor_book.auth import Caller
from advisor_book.cursors import CursorCodec
from advisor_book.errors import NotFoundError
from advisor_book.models import AdvisorClientsPage, AdvisorDetail, AdvisorPage, AdvisorSummary

if TYPE_CHECKING:
    from advisor_book.store.book import BookStore
    from advisor_book.store.directory import DirectoryStore


def list_advisors(
    directory: "DirectoryStore",
    cursors: CursorCodec,
    caller: Caller,
    *,
    focus_area: str | None,
    include_unavailable: bool,
    limit: int,
    next_token: str | None,
) -> AdvisorPage:
    """Available advisors (or all of them) in advisor id order, optionally by focus area."""
    filters = {
        "focus_area": focus_area.casefold() if focus_area else None,
        "all": include_unavailable,
    }
    listing = cursors.listing("advisors", filters, caller.subject)
    page = directory.advisors(
        include_unavailable=include_unavailable,
        focus_area=focus_area,
        limit=limit,
        start=listing.start(next_token),
    )
    return AdvisorPage(
        items=[AdvisorSummary.of(a) for a in page.items], next_token=listing.next_token(page)
    )


def advisor_detail(directory: "DirectoryStore", advisor_id: str) -> AdvisorDetail:
    advisor = directory.advisor(advisor_id)
    if advisor is None:
        raise NotFoundError(f"advisor {advisor_id} not found")
    return AdvisorDetail.of(advisor)


def advisor_clients(
    book: "BookStore",
    cursors: CursorCodec,
    caller: Caller,
    advisor_id: str,
    *,
    limit: int,
    next_token: str | None,
) -> AdvisorClientsPage:
    """One page of an advisor's clients with each client's total account value. Another
    advisor's book is not found, as an unknown advisor's is."""
    not_found = NotFoundError(f"advisor {advisor_id} not found")
    if not caller.sees_book_of(advisor_id):
        raise not_found
    listing = cursors.listing(f"advisor-clients:{advisor_id}", {}, caller.subject)
    page = book.clients_of(advisor_id, limit=limit, start=listing.start(next_token))
    if page is None:
        raise not_found
    return AdvisorClientsPage(
        advisor_id=advisor_id, items=page.items, next_token=listing.next_token(page)
    )
