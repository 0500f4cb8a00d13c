"""Suggesting advisors for a client: the available ones, best match first, each with why.

A client's record holds no wish of its own, so the caller says which focus areas the client
needs (none: rank by capacity alone). Advisors are ranked by how many of those areas they cover,
then by how many more clients they can take (unlimited first), then by id, so the order is
stable. The client's current advisor is never suggested.
"""

from typing import TYPE_CHECKING

from pydantic import Field

from advisor_book.errors import NotFoundError
from advisor_book.models import Advisor, AdvisorSummary, Model

if TYPE_CHECKING:
    from advisor_book.store.book import BookStore
    from advisor_book.store.directory import DirectoryStore


class Suggestion(Model):
    rank: int = Field(description="1 for the best match.")
    advisor: AdvisorSummary
    matched_focus_areas: list[str] = Field(
        description="The advisor's focus areas among those requested, as the advisor names them."
    )
    remaining_capacity: int | None = Field(
        description="How many more clients the advisor can take; null = unlimited."
    )
    reason: str = Field(
        description="Why this rank, in words.",
        examples=["matches 1 of 2 requested focus areas (Retirement); room for 3 more clients"],
    )


class SuggestionPage(Model):
    client_id: str
    focus_areas: list[str] = Field(description="The focus areas ranked on, once each.")
    items: list[Suggestion] = Field(description="Best first.")
    considered: int = Field(description="Available advisors ranked.")
    complete: bool = Field(
        description="Whether every available advisor was ranked (false: only the first 500 "
        "by advisor id were)."
    )


POOL_SIZE = 500
"""Available advisors read to rank, in advisor id order: one Query of the availability index."""


def suggest_advisors(
    book: "BookStore",
    directory: "DirectoryStore",
    client_id: str,
    *,
    focus_areas: list[str],
    limit: int,
) -> SuggestionPage:
    """The `limit` best available advisors for the client. One Query of the client (it must
    exist) and one of the availability index (at most POOL_SIZE advisors)."""
    client = book.client(client_id)
    if client is None:
        raise NotFoundError(f"client {client_id} not found")
    wanted = _distinct(focus_areas)
    pool = directory.advisors(
        include_unavailable=False, focus_area=None, limit=POOL_SIZE, start=None
    )
    ranked = sorted(
        (
            _suggestion(advisor, wanted)
            for advisor in pool.items
            if advisor.advisor_id != client.advisor_id
        ),
        key=_order,
    )
    return SuggestionPage(
        client_id=client_id,
        focus_areas=wanted,
        items=[s.model_copy(update={"rank": n}) for n, s in enumerate(ranked[:limit], 1)],
        considered=len(pool.items),
        complete=pool.next_key is None,
    )


def _distinct(areas: list[str]) -> list[str]:
    """The requested areas once each, case-insensitively, in the order first given."""
    seen: dict[str, str] = {}
    for area in areas:
        seen.setdefault(area.casefold(), area)
    return list(seen.values())


def _suggestion(advisor: Advisor, wanted: list[str]) -> Suggestion:
    """The advisor, unranked yet, with the areas it covers and the room it has, and why."""
    keys = {area.casefold() for area in wanted}
    matched = [area for area in advisor.focus_areas if area.casefold() in keys]
    remaining = None if advisor.capacity is None else advisor.capacity - advisor.client_count
    if wanted:
        match = f"matches {len(matched)} of {len(wanted)} requested focus areas"
        match += f" ({', '.join(matched)})" if matched else ""
    else:
        match = "no focus area requested"
    seats = "unlimited capacity" if remaining is None else f"room for {remaining} more clients"
    return Suggestion(
        rank=0,
        advisor=AdvisorSummary.of(advisor),
        matched_focus_areas=matched,
        remaining_capacity=remaining,
        reason=f"{match}; {seats}",
    )


def _order(suggestion: Suggestion) -> tuple[int, int, int, str]:
    """More matched areas first, then more room (unlimited before any number), then by id."""
    remaining = suggestion.remaining_capacity
    return (
        -len(suggestion.matched_focus_areas),
        0 if remaining is None else 1,
        -(remaining or 0),
        suggestion.advisor.advisor_id,
    )
