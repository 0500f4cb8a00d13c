"""The DynamoDB plumbing every store shares: one table, its items on the wire, and the requests.

`Table` wraps the botocore client and the table's name. It converts items to DynamoDB's
attribute values and back, retries what a batch leaves unprocessed, reads one page of a Query
with the key to resume from, and runs a transaction, turning its cancellation into `StaleReadError`
that names the items whose condition failed. The stores above it speak the domain; nothing
here knows an item type.
"""

from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import takewhile
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from advisor_book import attributes, keys
from advisor_book.cursors import Page, PageKey
from advisor_book.errors import StaleReadError
from advisor_book.retry import backoff

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

Item = dict[str, Any]
Wire = dict[str, Any]
Action = dict[str, Any]
"""One element of TransactWriteItems without its TableName: {"Put": {...}}, {"Update": ...}."""

ABSENT = f"attribute_not_exists({keys.PK})"  # the condition that an item does not exist yet
PRESENT = f"attribute_exists({keys.PK})"
IN_PARTITION = f"{keys.PK} = :pk"  # the key condition of a Query of one partition

# How many items a filtered Query reads to fill a page in one request.
FILTERED_READ_BUDGET = 500
BATCH_WRITE_LIMIT = 25  # DynamoDB's own, enforced here even where an emulator accepts more
BATCH_GET_LIMIT = 100
MAX_BATCH_ATTEMPTS = 8


def to_wire(item: Mapping[str, Any]) -> Wire:
    """Python values -> DynamoDB attribute values; None means "no attribute"."""
    return {k: attributes.serialize(v) for k, v in item.items() if v is not None}


def from_wire(wire: Mapping[str, Any]) -> Item:
    return {k: attributes.deserialize(v) for k, v in wire.items()}


def condition(expression: str, **values: Any) -> dict[str, Any]:
    """A ConditionExpression with its values, given by name without the colon."""
    guard: dict[str, Any] = {"ConditionExpression": expression}
    if values:
        guard["ExpressionAttributeValues"] = {
            f":{name}": attributes.serialize(value) for name, value in values.items()
        }
    return guard


def is_condition_failure(error: ClientError) -> bool:
    return error.response["Error"]["Code"] == "ConditionalCheckFailedException"


class Table:
    """The one table, with the requests the stores make of it."""

    def __init__(self, client: "DynamoDBClient", name: str) -> None:
        self.db = client
        self.name = name

    def get(self, key: keys.Key) -> Item | None:
        """One strongly consistent GetItem."""
        response = self.db.get_item(TableName=self.name, Key=to_wire(key), ConsistentRead=True)
        return from_wire(response["Item"]) if "Item" in response else None

    def query(self, **request: Any) -> dict[str, Any]:
        """One Query of this table, as DynamoDB answers it (items still on the wire)."""
        response: Any = self.db.query(TableName=self.name, **request)
        return dict(response)

    def page[T](
        self,
        request: dict[str, Any],
        limit: int,
        key_names: Sequence[str],
        convert: Callable[[Item], T],
        start: PageKey | None,
        *,
        ends: Callable[[Item], bool] | None = None,
    ) -> Page[T]:
        """One Query for a page of `limit` items, asking one more than the page: a token is
        handed out only when another item exists, never for an empty last page. An item for
        which `ends` is true, and all after it, are past the listing (a partition whose
        listing is followed by other item types)."""
        if start:
            request["ExclusiveStartKey"] = {k: {"S": v} for k, v in start.items()}
        request.setdefault("Limit", limit + 1)
        response = self.query(**request)
        items = [from_wire(wire) for wire in response["Items"]]
        listed = items if ends is None else list(takewhile(lambda i: not ends(i), items))
        ended = len(listed) < len(items)
        page = listed[:limit]
        next_key: PageKey | None = None
        if len(listed) > limit:
            next_key = {name: page[-1][name] for name in key_names}
        elif not ended and "LastEvaluatedKey" in response:
            next_key = {k: v["S"] for k, v in response["LastEvaluatedKey"].items()}
        return Page([convert(item) for item in page], next_key, ended)

    def put(self, item: Mapping[str, Any], guard: Mapping[str, Any]) -> bool:
        """One conditional PutItem; False when the condition failed."""
        try:
            self.db.put_item(TableName=self.name, Item=to_wire(item), **guard)
        except ClientError as error:
            if not is_condition_failure(error):
                raise
            return False
        return True

    def update(self, key: keys.Key, **request: Any) -> Item | None:
        """One conditional UpdateItem: the attributes it asked for (an empty item when it asked
        for none), or None when the condition failed."""
        try:
            response = self.db.update_item(TableName=self.name, Key=to_wire(key), **request)
        except ClientError as error:
            if not is_condition_failure(error):
                raise
            return None
        return from_wire(response.get("Attributes", {}))

    def transact(self, actions: Sequence[tuple[str, Action]]) -> None:
        """One TransactWriteItems of named actions; `StaleReadError` naming the actions whose
        condition failed when DynamoDB cancels it."""
        items: list[Any] = []
        for _, action in actions:
            ((kind, body),) = action.items()
            items.append({kind: {"TableName": self.name, **body}})
        try:
            self.db.transact_write_items(TransactItems=items)
        except ClientError as error:
            if error.response["Error"]["Code"] != "TransactionCanceledException":
                raise
            reasons = error.response.get("CancellationReasons", [])
            failed = frozenset(
                name
                for (name, _), reason in zip(actions, reasons, strict=False)
                if reason.get("Code") not in (None, "None")
            )
            raise StaleReadError(failed or frozenset(name for name, _ in actions)) from error

    def batch_get(
        self, wanted: Sequence[keys.Key], *, projection: str | None = None
    ) -> Iterator[Item]:
        """Strongly consistent BatchGetItem in chunks of 100, retrying unprocessed keys."""
        for start in range(0, len(wanted), BATCH_GET_LIMIT):
            request: dict[str, Any] = {
                "Keys": [to_wire(k) for k in wanted[start : start + BATCH_GET_LIMIT]],
                "ConsistentRead": True,
            }
            if projection:
                request["ProjectionExpression"] = projection
            pending: dict[str, Any] = {self.name: request}
            for attempt in range(MAX_BATCH_ATTEMPTS + 1):
                response = self.db.batch_get_item(RequestItems=pending)
                for wire in response["Responses"].get(self.name, []):
                    yield from_wire(wire)
                pending = response.get("UnprocessedKeys") or {}
                if not pending:
                    break
                if attempt == MAX_BATCH_ATTEMPTS:
                    raise RuntimeError("DynamoDB kept keys unprocessed after every retry")
                backoff(attempt)

    def found(self, wanted: Sequence[keys.Key]) -> dict[tuple[str, str], Item]:
        """`batch_get` of a few keys, by (PK, SK), for picking each one out."""
        return {(item[keys.PK], item[keys.SK]): item for item in self.batch_get(wanted)}

    def batch_write(self, items: Sequence[Mapping[str, Any]]) -> None:
        """BatchWriteItem puts in batches of 25, retrying unprocessed items."""
        for start in range(0, len(items), BATCH_WRITE_LIMIT):
            pending: list[Any] = [
                {"PutRequest": {"Item": to_wire(item)}}
                for item in items[start : start + BATCH_WRITE_LIMIT]
            ]
            for attempt in range(MAX_BATCH_ATTEMPTS + 1):
                response = self.db.batch_write_item(RequestItems={self.name: pending})
                pending = list(response.get("UnprocessedItems", {}).get(self.name, []))
                if not pending:
                    break
                if attempt == MAX_BATCH_ATTEMPTS:
                    raise RuntimeError("DynamoDB kept items unprocessed after every retry")
                backoff(attempt)


def pick(found: Mapping[tuple[str, str], Item], key: keys.Key) -> Item | None:
    """The item of `key` among those `Table.found` returned."""
    return found.get((key[keys.PK], key[keys.SK]))
