"""The advisor directory: one advisor, and the listings of available or all advisors."""

from typing import Any

from advisor_book import keys
from advisor_book.cursors import Page, PageKey
from advisor_book.models import Advisor
from advisor_book.store.core import FILTERED_READ_BUDGET, Table
from advisor_book.store.items import advisor_of


class DirectoryStore:
    def __init__(self, table: Table) -> None:
        self._table = table

    def advisor(self, advisor_id: str) -> Advisor | None:
        """GET /advisors/{id}: one consistent GetItem of the advisor profile."""
        item = self._table.get(keys.advisor_profile(advisor_id))
        return advisor_of(item) if item else None

    def advisors(
        self,
        *,
        include_unavailable: bool,
        focus_area: str | None,
        limit: int,
        start: PageKey | None,
    ) -> Page[Advisor]:
        """GET /advisors: one Query of the availability index (sparse: available advisors
        only) or of the directory index (every advisor), in advisor id order.

        A focus area is matched case-insensitively by a filter, so that Query reads up to
        FILTERED_READ_BUDGET advisors to fill the page in one request.
        """
        index, pk, sk, value = (
            (keys.GSI2, keys.GSI2_PK, keys.GSI2_SK, keys.ALL_ADVISORS)
            if include_unavailable
            else (keys.GSI1, keys.GSI1_PK, keys.GSI1_SK, keys.AVAILABLE)
        )
        request: dict[str, Any] = {
            "IndexName": index,
            "KeyConditionExpression": "#pk = :pk",
            "ExpressionAttributeNames": {"#pk": pk},
            "ExpressionAttributeValues": {":pk": {"S": value}},
        }
        if focus_area is not None:
            request["FilterExpression"] = "contains(focus_keys, :focus)"
            request["ExpressionAttributeValues"][":focus"] = {"S": focus_area.casefold()}
            request["Limit"] = max(limit + 1, FILTERED_READ_BUDGET)
        return self._table.page(request, limit, [keys.PK, keys.SK, pk, sk], advisor_of, start)
