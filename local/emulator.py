"""moto server, embedded, where it differs from AWS in ways the product depends on made to behave
as AWS does, and without moto's dashboard memory. The changes hold for the requests the emulator
serves; moto used in-process elsewhere (by tests) keeps its own behaviour.

moto's DynamoDB backend checks a write's conditions and then applies it without a lock, so two
concurrent requests can both pass a condition that only one of them should. Real DynamoDB never
allows that: conditional writes are atomic and transactions serializable. The emulator here
runs DynamoDB requests one at a time (every other service stays concurrent), so concurrent
assignments against the local stack meet the same guarantees as in AWS.

moto also backs up every table a transaction touches, whole (a deep copy), to restore it if the
transaction is cancelled, so each transaction costs as much as the table is large. With requests
one at a time nothing else can change those items meanwhile, so here a transaction backs up only
the items it touches and puts exactly those back on cancellation: its cost no longer depends on
the table's size. Everything else is moto's: the checks, the order, the cancellation reasons.

moto's S3 event notifications carry no `versionId`; S3's do for a versioned bucket, and the
ingest reads the version its event names. Without it, a file overwritten before its event was
read would be imported as the file that replaced it. Here the events carry it, as in AWS.

moto's Cognito ignores an app client's ReadAttributes and WriteAttributes; Cognito enforces
them when users read or write their own attributes with an access token. An advisor could
otherwise give themselves another advisor's `custom:advisor_id`. Here they are enforced.
"""

import copy
import functools
import threading
from collections.abc import Callable, Iterable
from typing import Any

from moto.cognitoidp.exceptions import NotAuthorizedError
from moto.cognitoidp.models import CognitoIdpBackend, CognitoIdpUser, CognitoIdpUserPoolClient
from moto.core.model_instances import model_data
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
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from moto.s3 import notifications as s3_notifications
from werkzeug.serving import BaseWSGIServer, make_server

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


_serving = threading.local()
"""`active` while this thread serves a request of the emulator (a DynamoDB one under the lock)."""


class SerializedDynamoDB:
    """WSGI middleware: one DynamoDB request at a time, response body included; every request
    is marked as the emulator's while it is served (see _within_emulator)."""

    def __init__(self, app: WsgiApp) -> None:
        self._app = app
        self._lock = threading.Lock()

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        _serving.active = True
        try:
            if not str(environ.get("HTTP_X_AMZ_TARGET", "")).startswith("DynamoDB_"):
                return self._app(environ, start_response)
            with self._lock:
                try:
                    return list(self._app(environ, start_response))
                finally:
                    # moto keeps every item copy it makes for its dashboard, which nothing here
                    # reads; without this a long-running stack grows by gigabytes.
                    for model in model_data["dynamodb"].values():
                        tracked: list[Any] = getattr(model, "instances_tracked", [])
                        tracked.clear()
        finally:
            _serving.active = False


def _within_emulator(moto_version: Callable[..., Any], replacement: Callable[..., Any]) -> Any:
    """`replacement` for the requests the emulator serves, moto's own anywhere else in this
    process (tests that use moto in-process keep moto's behaviour)."""

    @functools.wraps(replacement)
    def dispatch(*args: Any, **kwargs: Any) -> Any:
        chosen = replacement if getattr(_serving, "active", False) else moto_version
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


def _transact_write_items(backend: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
    """moto's TransactWriteItems, step for step, with a backup of only the items it touches.

    Valid only while no other request can run (SerializedDynamoDB). As in moto, each item's
    condition is checked against the item as it was before the transaction (an item may
    appear only once), and any failure restores every item.
    """
    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    touched = _TouchedItems()
    targets: set[tuple[str, str]] = set()
    errors: list[tuple[str, str, dict[str, Any] | None] | tuple[None, None, None]] = []
    try:
        for transact_item in transact_items:
            if len(transact_item) > 1:
                raise TransactWriteSingleOpException()
            original: dict[str, Any] | None = None
            try:
                op_type, op = next(iter(transact_item.items()))
                if op_type not in {"ConditionCheck", "Put", "Delete", "Update"}:
                    raise ValueError("Unsupported transaction operation")
                table_name = op["TableName"]
                names = op.get("ExpressionAttributeNames")
                values = op.get("ExpressionAttributeValues")
                condition = op.get("ConditionExpression")
                if op_type == "Put":
                    table = backend.get_table(table_name)
                    key_attributes = [table.hash_key_attr, table.range_key_attr]
                    key = {a: op["Item"][a] for a in key_attributes if a is not None}
                else:
                    key = op["Key"]
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
                errors.append((None, None, None))
            except (MultipleTransactionsException, MockValidationException):
                raise
            except ConditionalCheckFailed as error:
                errors.append(("ConditionalCheckFailed", str(error.message), original))
            except Exception as error:  # recorded as its item's reason, as moto does
                errors.append((type(error).__name__, str(error), original))
        if any(code is not None for code, _, _ in errors):
            raise TransactionCanceledException(errors)
    except BaseException:
        touched.restore()
        raise


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


_AS_AWS_DOES: list[tuple[Any, str, Callable[..., Any]]] = [
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
"""moto's behaviour replaced in this process when an emulator is made (see the docstring)."""


class Emulator:
    """moto server on host:port in a thread of this process."""

    def __init__(self, host: str, port: int) -> None:
        for owner, name, replacement in _AS_AWS_DOES:
            setattr(owner, name, replacement)
        app = SerializedDynamoDB(DomainDispatcherApplication(create_backend_app))
        self._server: BaseWSGIServer = make_server(
            host, port, app, threaded=True, request_handler=MotoRequestHandler
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="emulator", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
