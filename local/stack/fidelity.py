"""Where moto differs from AWS in ways the product depends on, the emulator behaves as AWS
does: each difference below, and moto's own behaviour replaced by it for the requests the
local stack's emulator serves (local.stack.emulator), while moto used in-process elsewhere (by
tests) keeps its own.

moto backs up every table a transaction touches, whole (a deep copy), to restore it if the
transaction is cancelled, so each transaction costs as much as the table is large. The
emulator runs DynamoDB requests one at a time, so nothing else can change those items
meanwhile: here a transaction backs up only the items it touches and puts exactly those back on
cancellation, and its cost no longer depends on the table's size. Everything else is moto's:
the checks, the order, the cancellation reasons.

moto's S3 event notifications carry no `versionId`; S3's do for a versioned bucket, and the
ingest reads the version its event names. Without it, a file overwritten before its event was
read would be imported as the file that replaced it. Here the events carry it, as in AWS.

moto's DynamoDB Streams keeps every shard iterator it hands out, and each GetRecords hands out
one; AWS expires an iterator after 15 minutes. The local stack reads the table's stream several
times a second for as long as it runs: here only the newest `MAX_SHARD_ITERATORS` are kept.

moto's Cognito ignores an app client's ReadAttributes and WriteAttributes; Cognito enforces
them when users read or write their own attributes with an access token. An advisor could
otherwise give themselves another advisor's `custom:advisor_id`. Here they are enforced.
"""

import copy
import functools
import threading
from collections.abc import Callable
from typing import Any

from moto.cognitoidp.exceptions import NotAuthorizedError
from moto.cognitoidp.models import CognitoIdpBackend, CognitoIdpUser, CognitoIdpUserPoolClient
from moto.dynamodb.comparisons import get_filter_expression
from moto.dynamodb.exceptions import (
    ConditionalCheckFailed,
    MockValidationException,
    MultipleTransactionsException,
    TooManyTransactionsException,
    TransactionCanceledException,
    TransactWriteSingleOpException,
)
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.table import Table
from moto.dynamodbstreams.models import DynamoDBStreamsBackend
from moto.s3 import notifications as s3_notifications

serving = threading.local()
"""`active` while this thread serves a request of the emulator (a DynamoDB one under its lock)."""


def _within_emulator(moto_version: Callable[..., Any], replacement: Callable[..., Any]) -> Any:
    """`replacement` for the requests the emulator serves, moto's own anywhere else in this
    process (tests that use moto in-process keep moto's behaviour)."""

    @functools.wraps(replacement)
    def dispatch(*args: Any, **kwargs: Any) -> Any:
        chosen = replacement if getattr(serving, "active", False) else moto_version
        return chosen(*args, **kwargs)

    return dispatch


class _TouchedItems:
    """The items a transaction touches, as they were before it, to put back if it is cancelled."""

    def __init__(self) -> None:
        self._before: list[tuple[Table, DynamoType, DynamoType | None, Item | None]] = []
        self._streams: dict[int, tuple[list[Any], int]] = {}

    def keep(self, backend: DynamoDBBackend, table_name: str, key: dict[str, Any]) -> Item | None:
        """Back up the item (and where its table's stream stands); the item as it is now."""
        table = backend.get_table(table_name)
        hash_key, range_key = backend.get_keys_value(table, key)
        item = table.get_item(hash_key, range_key)
        self._before.append((table, hash_key, range_key, copy.deepcopy(item)))
        shard = table.stream_shard
        if shard is not None and id(shard) not in self._streams:
            self._streams[id(shard)] = (shard.items, len(shard.items))
        return item

    def restore(self) -> None:
        for table, hash_key, range_key, item in reversed(self._before):
            items: dict[Any, Any] = table.items
            if range_key is None:
                if item is None:
                    items.pop(hash_key, None)
                else:
                    items[hash_key] = item
            elif item is None:
                items[hash_key].pop(range_key, None)
            else:
                items[hash_key][range_key] = item
        for records, length in self._streams.values():
            del records[length:]


_moto_transact_write_items = DynamoDBBackend.transact_write_items

_Reason = tuple[str, str, dict[str, Any] | None] | tuple[None, None, None]
"""An item's cancellation reason: code, message and the item as it was (all None: written)."""


def _transact_write_items(backend: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
    """moto's TransactWriteItems, step for step, with a backup of only the items it touches.

    Valid only while no other request can run (the emulator's SerializedDynamoDB). As in moto,
    each item's condition is checked against the item as it was before the transaction (an
    item may appear only once), and any failure restores every item.
    """
    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    touched = _TouchedItems()
    targets: set[tuple[str, str]] = set()
    errors: list[_Reason] = []
    try:
        for transact_item in transact_items:
            if len(transact_item) > 1:
                raise TransactWriteSingleOpException()
            errors.append(_write_item(backend, touched, targets, transact_item))
        if any(code is not None for code, _, _ in errors):
            raise TransactionCanceledException(errors)
    except BaseException:
        touched.restore()
        raise


def _write_item(
    backend: DynamoDBBackend,
    touched: _TouchedItems,
    targets: set[tuple[str, str]],
    transact_item: dict[str, Any],
) -> _Reason:
    """One item of a transaction: backed up, its condition checked, then written. A failure
    is the item's reason, except a repeated item or an invalid request, which end the whole
    transaction at once (as in moto)."""
    original: dict[str, Any] | None = None
    try:
        op_type, op = next(iter(transact_item.items()))
        if op_type not in {"ConditionCheck", "Put", "Delete", "Update"}:
            raise ValueError("Unsupported transaction operation")
        table_name = op["TableName"]
        names = op.get("ExpressionAttributeNames")
        values = op.get("ExpressionAttributeValues")
        condition = op.get("ConditionExpression")
        key = _key(backend, op_type, op)
        target = (str(table_name), str(dict(sorted(key.items()))))
        if target in targets:
            raise MultipleTransactionsException()
        targets.add(target)
        current = touched.keep(backend, table_name, key)
        if condition is not None and not (
            get_filter_expression(condition, names, values).expr(current)
        ):
            wants_item = op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD"
            if wants_item and current:
                original = current.to_json()["Attributes"]
            raise ConditionalCheckFailed(item=original)
        _write(backend, op_type, op, key)
        return (None, None, None)
    except (MultipleTransactionsException, MockValidationException):
        raise
    except ConditionalCheckFailed as error:
        return ("ConditionalCheckFailed", str(error.message), original)
    except Exception as error:  # recorded as its item's reason, as moto does
        return (type(error).__name__, str(error), original)


def _key(backend: DynamoDBBackend, op_type: str, op: Any) -> dict[str, Any]:
    """The key of the item an operation writes (a Put's is in its item)."""
    if op_type != "Put":
        key: dict[str, Any] = op["Key"]
        return key
    table = backend.get_table(op["TableName"])
    key_attributes = [table.hash_key_attr, table.range_key_attr]
    return {a: op["Item"][a] for a in key_attributes if a is not None}


def _write(backend: DynamoDBBackend, op_type: str, op: Any, key: dict[str, Any]) -> None:
    """The write itself, by moto's own operation for one item (a ConditionCheck writes none)."""
    table_name = op["TableName"]
    names = op.get("ExpressionAttributeNames")
    values = op.get("ExpressionAttributeValues")
    condition = op.get("ConditionExpression")
    if op_type == "Put":
        backend.put_item(
            table_name,
            op["Item"],
            condition_expression=condition,
            expression_attribute_names=names,
            expression_attribute_values=values,
        )
    elif op_type == "Delete":
        backend.delete_item(
            table_name,
            key,
            condition_expression=condition,
            expression_attribute_names=names,
            expression_attribute_values=values,
        )
    elif op_type == "Update":
        backend.update_item(
            table_name,
            key,
            update_expression=op["UpdateExpression"],
            condition_expression=condition,
            expression_attribute_names=names,
            expression_attribute_values=values,
        )


_moto_s3_event = s3_notifications._get_s3_event


def _s3_event(
    event_name: str, bucket: Any, key: Any, notification_id: str
) -> dict[str, list[dict[str, Any]]]:
    """moto's S3 event, with the object's version id when the bucket is versioned."""
    event = _moto_s3_event(event_name, bucket, key, notification_id)
    if bucket.is_versioned:
        for record in event["Records"]:
            record["s3"]["object"]["versionId"] = key.version_id
    return event


def _app_client(backend: CognitoIdpBackend, access_token: str) -> CognitoIdpUserPoolClient | None:
    """The app client an access token was issued to."""
    for pool in backend.user_pools.values():
        if access_token in pool.access_tokens:
            client_id, _ = pool.access_tokens[access_token]
            client: CognitoIdpUserPoolClient | None = pool.clients.get(client_id)
            return client
    return None


_moto_update_user_attributes = CognitoIdpBackend.update_user_attributes
_moto_get_user = CognitoIdpBackend.get_user


def _update_user_attributes(
    backend: CognitoIdpBackend, access_token: str, attributes: list[dict[str, str]]
) -> None:
    """UpdateUserAttributes as Cognito does it: an attribute the app client may not write
    refuses the whole request, and nothing changes."""
    client = _app_client(backend, access_token)
    writable = client.extended_config.get("WriteAttributes") if client else None
    if writable is not None and any(a["Name"] not in writable for a in attributes):
        raise NotAuthorizedError("A client attempted to write unauthorized attribute")
    _moto_update_user_attributes(backend, access_token, attributes)


def _get_user(backend: CognitoIdpBackend, access_token: str) -> CognitoIdpUser:
    """GetUser as Cognito answers it: only the attributes the app client may read (and `sub`)."""
    user = _moto_get_user(backend, access_token)
    client = _app_client(backend, access_token)
    readable = client.extended_config.get("ReadAttributes") if client else None
    if readable is None:
        return user
    shown = copy.copy(user)
    shown.attributes = [a for a in user.attributes if a["Name"] in (*readable, "sub")]
    return shown


MAX_SHARD_ITERATORS = 1000

_moto_get_records = DynamoDBStreamsBackend.get_records


def _get_records(backend: DynamoDBStreamsBackend, iterator_arn: str, limit: int) -> Any:
    """moto's GetRecords, then the oldest iterators dropped past `MAX_SHARD_ITERATORS`."""
    records = _moto_get_records(backend, iterator_arn, limit)
    iterators = backend.shard_iterators
    while len(iterators) > MAX_SHARD_ITERATORS:
        del iterators[next(iter(iterators))]
    return records


_AS_AWS_DOES: list[tuple[Any, str, Callable[..., Any]]] = [
    (
        DynamoDBStreamsBackend,
        "get_records",
        _within_emulator(_moto_get_records, _get_records),
    ),
    (
        DynamoDBBackend,
        "transact_write_items",
        _within_emulator(_moto_transact_write_items, _transact_write_items),
    ),
    (s3_notifications, "_get_s3_event", _within_emulator(_moto_s3_event, _s3_event)),
    (
        CognitoIdpBackend,
        "update_user_attributes",
        _within_emulator(_moto_update_user_attributes, _update_user_attributes),
    ),
    (CognitoIdpBackend, "get_user", _within_emulator(_moto_get_user, _get_user)),
]
"""moto's behaviour and what replaces it for the emulator's requests (see the docstring)."""


def install() -> None:
    """Replace moto's behaviour in this process, for the emulator's requests only."""
    for owner, name, replacement in _AS_AWS_DOES:
        setattr(owner, name, replacement)
