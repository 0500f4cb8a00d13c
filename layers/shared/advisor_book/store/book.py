"""The book as people read it: an advisor's clients, one client, a client's history."""

import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from advisor_book import keys
from advisor_book.assignments import state_tag
from advisor_book.cursors import Page, PageKey
from advisor_book.models import Account, AssignmentEvent, Client, ClientSummary
from advisor_book.store.core import IN_PARTITION, Table, from_wire
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


class BookStore:
    def __init__(self, table: Table) -> None:
        self._table = table

    def clients_of(
        self, advisor_id: str, *, limit: int, start: PageKey | None
    ) -> Page[ClientSummary] | None:
        """GET /advisors/{id}/clients: one strongly consistent Query of the advisor's
        partition, clients in id order with the totals copied under the advisor.

        The profile sorts first, so the first page also proves the advisor exists (None if
        not): that page is read one item longer, and the profile dropped from it."""
        request: dict[str, Any] = {
            "KeyConditionExpression": IN_PARTITION,
            "ExpressionAttributeValues": {":pk": {"S": keys.advisor_pk(advisor_id)}},
            "ConsistentRead": True,
        }
        first = start is None
        page = self._table.page(request, limit + first, [keys.PK, keys.SK], dict, start)
        items = page.items
        if first:
            if not items or items[0][keys.SK] != keys.PROFILE:
                return None
            items = items[1:]
        return Page([client_summary_of(item) for item in items], page.next_key)

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
