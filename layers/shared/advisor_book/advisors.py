"""Reading the advisor directory and an advisor's book of clients."""

from advisor_book.auth import Caller
from advisor_book.cursors import CursorCodec
from advisor_book.errors import NotFoundError
from advisor_book.models import AdvisorClientsPage, AdvisorDetail, AdvisorPage, AdvisorSummary
from advisor_book.repository import BookRepository


def list_advisors(
    repo: BookRepository,
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
    cursors = cursors.for_caller(caller.subject)
    start = cursors.decode("advisors", filters, next_token)
    advisors, next_key = repo.list_advisors(
        include_unavailable=include_unavailable, focus_area=focus_area, limit=limit, start=start
    )
    return AdvisorPage(
        items=[AdvisorSummary.of(a) for a in advisors],
        next_token=cursors.encode("advisors", filters, next_key),
    )


def advisor_detail(repo: BookRepository, advisor_id: str) -> AdvisorDetail:
    advisor = repo.get_advisor(advisor_id)
    if advisor is None:
        raise NotFoundError(f"advisor {advisor_id} not found")
    return AdvisorDetail.of(advisor)


def advisor_clients(
    repo: BookRepository,
    cursors: CursorCodec,
    caller: Caller,
    advisor_id: str,
    *,
    limit: int,
    next_token: str | None,
) -> AdvisorClientsPage:
    """One page of an advisor's clients with each client's total account value. Another
    advisor's book is not found, as an unknown advisor's is."""
    if not caller.sees_book_of(advisor_id):
        raise NotFoundError(f"advisor {advisor_id} not found")
    page = cursors.for_caller(caller.subject).page(
        f"advisor-clients:{advisor_id}",
        {},
        next_token,
        lambda start: repo.advisor_clients(advisor_id, limit=limit, start=start),
    )
    if page is None:
        raise NotFoundError(f"advisor {advisor_id} not found")
    clients, token = page
    return AdvisorClientsPage(advisor_id=advisor_id, items=clients, next_token=token)
