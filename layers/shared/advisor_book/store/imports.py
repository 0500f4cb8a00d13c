"""Import reports, and the lease that lets one invocation at a time work on an import."""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from advisor_book import attributes, keys
from advisor_book.cursors import Page, PageKey
from advisor_book.errors import StaleReadError
from advisor_book.events import ChangeEvent
from advisor_book.import_reports import ImportStatus
from advisor_book.imports import ImportProgress, LeaseLostError, Work
from advisor_book.models import format_timestamp
from advisor_book.store.core import ABSENT, Action, Item, Table, condition, to_wire

_RUNNING = "#status = :running"
_OPEN_TO_TAKE = "(lease_owner = :owner OR lease_until < :now)"


def _status_of(item: Item) -> ImportStatus:
    return ImportStatus.model_validate(
        {
            **{k: item[k] for k in ("import_id", "bucket", "key", "status", "started_at")},
            "advisors_upserted": int(item["advisors_upserted"]),
            "clients_upserted": int(item["clients_upserted"]),
            "rejected": int(item["rejected"]),
            "errors": item.get("errors", []),
            "records_done": int(item.get("records_done", 0)),
            "records_total": _optional_int(item.get("records_total")),
            "records_per_second": _optional_int(item.get("records_per_second")),
            "finished_at": item.get("finished_at"),
        }
    )


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)


def _work_of(item: Item) -> Work:
    """The work stored on an import; an item written before checkpoints were kept apart from
    records_done had them equal."""
    checkpoint: Any = item.get("checkpoint", item.get("records_done", 0))
    return Work(checkpoint=int(checkpoint), working_ms=int(item.get("working_ms", 0)))


def _outbox_record(event: ChangeEvent) -> Action:
    """The outbox record of an import's end, put once, in the write that stores the end."""
    assert event.import_id is not None
    item = {
        **keys.import_finished_event(event.import_id),
        **event.model_dump(mode="json", exclude_none=True),
    }
    return {"Put": {"Item": to_wire(item), **condition(ABSENT)}}


def _work_fields(work: Work) -> dict[str, int]:
    return {"checkpoint": work.checkpoint, "working_ms": work.working_ms}


def _new_item(status: ImportStatus) -> Item:
    started = format_timestamp(status.started_at)
    return {
        **keys.import_status(status.import_id),
        **keys.import_indexes(status.key, started, status.import_id),
        **status.model_dump(mode="json"),
    }


class ImportStore:
    def __init__(self, table: Table) -> None:
        self._table = table

    def get(self, import_id: str) -> ImportStatus | None:
        """GET /imports/{id}: one consistent GetItem."""
        item = self._table.get(keys.import_status(import_id))
        return _status_of(item) if item else None

    def newest(self, *, key: str | None, limit: int, start: PageKey | None) -> Page[ImportStatus]:
        """GET /imports: one Query, newest first, of every import (GSI2) or one S3 key's (GSI1)."""
        index, pk, sk, value = (
            (keys.GSI1, keys.GSI1_PK, keys.GSI1_SK, keys.imports_of_key_pk(key))
            if key is not None
            else (keys.GSI2, keys.GSI2_PK, keys.GSI2_SK, keys.ALL_IMPORTS)
        )
        request: dict[str, Any] = {
            "IndexName": index,
            "KeyConditionExpression": "#pk = :pk",
            "ExpressionAttributeNames": {"#pk": pk},
            "ExpressionAttributeValues": {":pk": {"S": value}},
            "ScanIndexForward": False,
        }
        return self._table.page(request, limit, [keys.PK, keys.SK, pk, sk], _status_of, start)

    def claim(
        self, fresh: ImportStatus, *, owner: str, now: datetime, lease_until: datetime
    ) -> ImportProgress | None:
        """Take the lease on an import: a new one is created; an unfinished one is taken over
        by the same owner (a retry) or once its lease has expired. None if another invocation
        holds it or it has finished: this delivery is a duplicate. Each claim is counted in
        `attempts`, which a pause sets back to zero. One request (two for a known import)."""
        lease = {"lease_owner": owner, "lease_until": format_timestamp(lease_until)}
        item = {**_new_item(fresh), **lease, "checked": False, "attempts": 1}
        if self._table.put(item, condition(ABSENT)):
            return ImportProgress(status=fresh, checked=False)
        stored = self._table.update(
            keys.import_status(fresh.import_id),
            UpdateExpression="SET lease_owner = :owner, lease_until = :until ADD attempts :one",
            ExpressionAttributeNames={"#status": "status"},
            ReturnValues="ALL_NEW",
            **condition(
                f"{_RUNNING} AND {_OPEN_TO_TAKE}",
                owner=owner,
                until=lease["lease_until"],
                now=format_timestamp(now),
                running="IN_PROGRESS",
                one=1,
            ),
        )
        if stored is None:
            return None
        return ImportProgress(
            status=_status_of(stored),
            checked=bool(stored.get("checked")),
            unfinished_attempts=int(stored["attempts"]) - 1,
            work=_work_of(stored),
        )

    def save_progress(
        self,
        status: ImportStatus,
        *,
        owner: str,
        lease_until: datetime | None,
        work: Work,
        checked: bool | None = None,
    ) -> None:
        """Checkpoint an import and renew the lease, or (None) hand it on at once: a pause,
        after which no earlier attempt counts as unfinished."""
        extra: dict[str, Any] = {
            "lease_until": "" if lease_until is None else format_timestamp(lease_until),
            **_work_fields(work),
        }
        if lease_until is None:
            extra["attempts"] = 0
        if checked is not None:
            extra["checked"] = checked
        self._write_held(status, owner, set_extra=extra)

    def finish(self, status: ImportStatus, *, owner: str, work: Work, event: ChangeEvent) -> None:
        """Store an import's outcome and drop its lease, with the outbox record of its `event`:
        one transaction."""
        self._write_held(
            status,
            owner,
            set_extra=_work_fields(work),
            remove=("lease_owner", "lease_until"),
            event=event,
        )

    def report_progress(self, status: ImportStatus, *, owner: str, working_ms: int) -> None:
        """Show how far a running import has got between its checkpoints: records_done and the
        rate, and the time worked. One small UpdateItem; LeaseLostError once `owner` does not
        hold the import."""
        fields = {
            "records_done": status.records_done,
            "records_per_second": status.records_per_second,
            "working_ms": working_ms,
        }
        updated = self._table.update(
            keys.import_status(status.import_id),
            UpdateExpression="SET " + ", ".join(f"{name} = :{name}" for name in fields),
            **condition(
                "lease_owner = :lease_owner",
                lease_owner=owner,
                **fields,
            ),
        )
        if updated is None:
            raise LeaseLostError(status.import_id)

    def release(self, import_id: str, *, owner: str) -> None:
        """Let a retry take the import over at once (after an error in this invocation)."""
        self._table.update(
            keys.import_status(import_id),
            UpdateExpression="SET lease_until = :gone",
            **condition("lease_owner = :owner", gone="", owner=owner),
        )

    def fail(
        self,
        failed: ImportStatus,
        *,
        failed_owners: Sequence[str],
        now: datetime,
        new: bool,
        event: ChangeEvent,
    ) -> bool:
        """Store the FAILED outcome of an import whose every attempt failed: created when none
        of them got as far as claiming it (`new`), else only while it is still in progress and
        held by one of `failed_owners` or by nobody alive (its lease given up or expired).
        False if it finished, or if another invocation holds it now. One transaction with the
        outbox record of its `event` (two when a claim created it meanwhile)."""
        if new:
            created = {"Put": {"Item": to_wire(_new_item(failed)), **condition(ABSENT)}}
            if self._transact_with_event(created, event):
                return True
        owners = {f":owner{n}": {"S": owner} for n, owner in enumerate(failed_owners)}
        held_by_failed = f"lease_owner IN ({', '.join(owners)}) OR " if owners else ""
        return self._write(
            failed,
            guard=f"{_RUNNING} AND ({held_by_failed}"
            "attribute_not_exists(lease_owner) OR lease_until < :now)",
            values={
                ":running": {"S": "IN_PROGRESS"},
                ":now": {"S": format_timestamp(now)},
                **owners,
            },
            remove=("lease_owner", "lease_until"),
            event=event,
        )

    def _write_held(
        self,
        status: ImportStatus,
        owner: str,
        set_extra: Mapping[str, Any] | None = None,
        remove: Sequence[str] = (),
        event: ChangeEvent | None = None,
    ) -> None:
        """Write an import's status while `owner` holds it; LeaseLostError once it does not."""
        held = self._write(
            status,
            guard="lease_owner = :lease_owner",
            values={":lease_owner": {"S": owner}},
            set_extra=set_extra,
            remove=remove,
            event=event,
        )
        if not held:
            raise LeaseLostError(status.import_id)

    def _write(
        self,
        status: ImportStatus,
        *,
        guard: str,
        values: Mapping[str, Any],
        set_extra: Mapping[str, Any] | None = None,
        remove: Sequence[str] = (),
        event: ChangeEvent | None = None,
    ) -> bool:
        """One conditional UpdateItem of an import's status (in one transaction with the outbox
        record of its `event`, if any); False if the condition failed."""
        fields = {
            **status.model_dump(mode="json", exclude={"import_id", "bucket", "key", "started_at"}),
            **(set_extra or {}),
        }
        expression = "SET " + ", ".join(f"#{name} = :{name}" for name in fields)
        if remove:
            expression += " REMOVE " + ", ".join(remove)
        request: dict[str, Any] = {
            "UpdateExpression": expression,
            "ConditionExpression": guard,
            "ExpressionAttributeNames": {f"#{name}": name for name in fields},
            "ExpressionAttributeValues": {
                **values,
                **{f":{name}": attributes.serialize(value) for name, value in fields.items()},
            },
        }
        key = keys.import_status(status.import_id)
        if event is not None:
            return self._transact_with_event({"Update": {"Key": to_wire(key), **request}}, event)
        return self._table.update(key, **request) is not None

    def _transact_with_event(self, write: Action, event: ChangeEvent) -> bool:
        """The write of an import's status and the outbox record of its event, together or not
        at all; False if the status's condition failed."""
        try:
            self._table.transact([("status", write), ("event", _outbox_record(event))])
        except StaleReadError as stale:
            if "status" in stale.failed:
                return False
            raise
        return True
