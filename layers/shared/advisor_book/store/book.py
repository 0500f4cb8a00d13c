"""The book as people read it: an advisor's clients, one client, a client's history."""

import json
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from advisor_book import keys
from advisor_book.assignments import state_tag
from advisor_book.cursors import Page, PageKey
from advisor_book.models import Account, AssignmentEvent, Client, ClientSummary, FoundClient
from advisor_book.store.core import FILTERED_READ_BUDGET, IN_PARTITION, Table, from_wire
from advisor_book.store.items import assignment_of, client_summary_of


def accounts_document(accounts: Sequence[Account]) -> str:
    """A client's accounts as one JSON string attribute, values as exact decimal strings.

    They are only ever read and replaced together, and one string costs far less to encode,
    send and store-process than a list of maps (a typed node per field of every account).
    """
    return json.dumps(
        [{"account_id": a.account_id, "type": a.type, "value": str(a.value)} for a in accounts],
        separators=(",", ":"),
    )


def read_accounts(stored: str | list[dict[str, Any]]) -> list[Account]:
    """The accounts of a stored profile: one JSON string, or a list of maps as written by
    earlier releases (still read, so nothing already stored needs migrating)."""
    records = json.loads(stored, parse_float=Decimal) if isinstance(stored, str) else stored
    return [Account.model_validate(record) for record in records]


# A client whose first or last name starts with :name (a normal form, as the copies hold).
_NAMED = "(begins_with(first_name_key, :name) OR begins_with(last_name_key, :name))"
_GSI1_PAGE_KEY = [keys.PK, keys.SK, keys.GSI1_PK, keys.GSI1_SK]
_GSI2_PAGE_KEY = [keys.PK, keys.SK, keys.GSI2_PK, keys.GSI2_SK]


def _book_of(advisor_id: str) -> dict[str, Any]:
    """A strongly consistent Query of an advisor's book: the profile and the membership copies
    after it, and not the advisor's other singletons, which sort before the profile."""
    return {
        "KeyConditionExpression": f"{IN_PARTITION} AND {keys.SK} >= :profile",
        "ExpressionAttributeValues": {
            ":pk": {"S": keys.advisor_pk(advisor_id)},
            ":profile": {"S": keys.PROFILE},
        },
        "ConsistentRead": True,
    }


def _found(item: dict[str, Any], advisor_id: str | None = None) -> FoundClient:
    """A client as a search lists it, from its profile, a name entry or (with the advisor
    whose partition holds it) a membership copy."""
    return FoundClient(
        client_id=item["client_id"],
        first_name=item["first_name"],
        last_name=item["last_name"],
        advisor_id=advisor_id or item.get("advisor_id"),
        total_value=item["total_value"],
    )


class BookStore:
    def __init__(self, table: Table) -> None:
        self._table = table

    def clients_of(
        self, advisor_id: str, *, limit: int, start: PageKey | None
    ) -> Page[ClientSummary] | None:
        """GET /advisors/{id}/clients: one strongly consistent Query of the advisor's
        partition, clients in id order with the totals copied under the advisor (None: no
        such advisor)."""
        return self._book_page(_book_of(advisor_id), limit, start, client_summary_of)

    def found_clients_of(
        self, advisor_id: str, *, name: str | None, limit: int, start: PageKey | None
    ) -> Page[FoundClient] | None:
        """GET /clients?advisor_id=: one strongly consistent Query of the advisor's partition
        as `clients_of` reads it; with `name` (a normal form), only the copies whose first or
        last name starts with it: a filter, so that Query reads up to FILTERED_READ_BUDGET
        copies to fill the page."""
        request = _book_of(advisor_id)
        if name is not None:
            request["FilterExpression"] = f"{keys.SK} = :profile OR {_NAMED}"
            request["ExpressionAttributeValues"][":name"] = {"S": name}
            request["Limit"] = max(limit + 2, FILTERED_READ_BUDGET)
        return self._book_page(request, limit, start, lambda item: _found(item, advisor_id))

    def unassigned_clients(
        self, *, name: str | None, limit: int, start: PageKey | None
    ) -> Page[FoundClient]:
        """GET /clients?unassigned=true: one Query of GSI1's sparse UNASSIGNED partition (the
        profiles of clients without an advisor), in client id order; with `name`, a filter
        on the names' normal forms that reads up to FILTERED_READ_BUDGET profiles."""
        request: dict[str, Any] = {
            "IndexName": keys.GSI1,
            "KeyConditionExpression": f"{keys.GSI1_PK} = :unassigned",
            "ExpressionAttributeValues": {":unassigned": {"S": keys.UNASSIGNED}},
        }
        if name is not None:
            request["FilterExpression"] = _NAMED
            request["ExpressionAttributeValues"][":name"] = {"S": name}
            request["Limit"] = max(limit + 1, FILTERED_READ_BUDGET)
        return self._table.page(request, limit, _GSI1_PAGE_KEY, _found, start)

    def clients_named(self, name: str, *, limit: int, start: PageKey | None) -> Page[FoundClient]:
        """GET /clients?name=: one Query of GSI1's name bucket of the prefix's first character,
        the name entries whose name's normal form starts with `name`, by name then client id.
        A client whose first and last names both start with it is listed once, by its first
        name: its last-name entry is filtered out."""
        request: dict[str, Any] = {
            "IndexName": keys.GSI1,
            "KeyConditionExpression": (
                f"{keys.GSI1_PK} = :bucket AND begins_with({keys.GSI1_SK}, :name)"
            ),
            "FilterExpression": (
                f"begins_with(name_key, :name) AND "
                f"({keys.SK} = :first OR NOT begins_with(first_name_key, :name))"
            ),
            "ExpressionAttributeValues": {
                ":bucket": {"S": keys.name_bucket(name)},
                ":name": {"S": name},
                ":first": {"S": keys.name_entry("", keys.FIRST)[keys.SK]},
            },
        }
        return self._table.page(request, limit, _GSI1_PAGE_KEY, _found, start)

    def all_clients(self, *, limit: int, start: PageKey | None) -> Page[FoundClient]:
        """GET /clients: one Query of GSI2's CLIENTS partition, every client profile in
        client id order."""
        request: dict[str, Any] = {
            "IndexName": keys.GSI2,
            "KeyConditionExpression": f"{keys.GSI2_PK} = :all",
            "ExpressionAttributeValues": {":all": {"S": keys.ALL_CLIENTS}},
        }
        return self._table.page(request, limit, _GSI2_PAGE_KEY, _found, start)

    def _book_page[T](
        self,
        request: dict[str, Any],
        limit: int,
        start: PageKey | None,
        convert: Callable[[dict[str, Any]], T],
    ) -> Page[T] | None:
        """A page of an advisor's partition, its clients in id order. The profile sorts first,
        so the first page also proves the advisor exists (None if not): that page is read one
        item longer, and the profile dropped from it."""
        first = start is None
        page = self._table.page(request, limit + first, [keys.PK, keys.SK], dict, start)
        items = page.items
        if first:
            if not items or items[0][keys.SK] != keys.PROFILE:
                return None
            items = items[1:]
        return Page([convert(item) for item in items], page.next_key)

    def client(self, client_id: str) -> Client | None:
        """GET /clients/{id}: one consistent Query of the client's singletons: the profile
        (accounts embedded) and, if ever assigned, the assignment (its advisor and the entity
        tag of its state)."""
        response = self._table.query(
            KeyConditionExpression=f"{IN_PARTITION} AND begins_with({keys.SK}, :singleton)",
            ExpressionAttributeValues={
                ":pk": {"S": keys.client_pk(client_id)},
                ":singleton": {"S": keys.SINGLETON_PREFIX},
            },
            ConsistentRead=True,
        )
        items = {w[keys.SK]["S"]: from_wire(w) for w in response["Items"]}
        profile = items.get(keys.PROFILE)
        if profile is None:
            return None
        assignment = items.get(keys.ASSIGNMENT)
        record = assignment_of(assignment) if assignment else None
        return Client(
            client_id=profile["client_id"],
            first_name=profile["first_name"],
            last_name=profile["last_name"],
            advisor_id=record.advisor_id if record else None,
            total_value=profile["total_value"],
            accounts=read_accounts(profile["accounts"]),
            state_tag=state_tag(record),
        )

    def history(
        self, client_id: str, *, limit: int, start: PageKey | None
    ) -> Page[AssignmentEvent] | None:
        """GET /clients/{id}/assignments: one consistent Query of the client's partition,
        newest first. History sorts after the singletons, so they come only past the oldest
        event: seeing one ends the history, and a partition with neither means no client."""
        request: dict[str, Any] = {
            "KeyConditionExpression": IN_PARTITION,
            "ExpressionAttributeValues": {":pk": {"S": keys.client_pk(client_id)}},
            "ScanIndexForward": False,
            "ConsistentRead": True,
        }
        page = self._table.page(
            request,
            limit,
            [keys.PK, keys.SK],
            AssignmentEvent.model_validate,
            start,
            ends=lambda item: not item[keys.SK].startswith(keys.HISTORY_PREFIX),
        )
        if start is None and not page.items and not page.ended:
            return None
        return page
