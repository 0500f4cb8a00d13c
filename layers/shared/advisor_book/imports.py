"""Seed-file imports: the rule that names them, the lease that lets one invocation at a time
work on one, and reading their reports."""

from dataclasses import dataclass
from hashlib import sha256
from typing import TYPE_CHECKING

from advisor_book.auth import Caller
from advisor_book.cursors import CursorCodec
from advisor_book.errors import NotFoundError
from advisor_book.import_reports import ImportPage, ImportStatus

if TYPE_CHECKING:
    from advisor_book.store.imports import ImportStore


class LeaseLostError(Exception):
    """Another invocation took this import over (this one stalled past its lease): stop."""


@dataclass(frozen=True)
class Work:
    """How far the invocations have got with an import: every record before `checkpoint` is
    written (a new invocation resumes there), and `working_ms` is the time they spent on it."""

    checkpoint: int = 0
    working_ms: int = 0


@dataclass(frozen=True)
class ImportProgress:
    """A claimed import: its status so far, the work done on it, whether its structure was
    already checked, and how many invocations took it before this one since it was last handed
    on (paused) and never finished or paused it: each of them died, ran out of time or raised."""

    status: ImportStatus
    checked: bool
    unfinished_attempts: int = 0
    work: Work = Work()


def import_id_for(bucket: str, key: str, version: str) -> str:
    """The same S3 object (bucket, key, and version id or ETag) is always the same import."""
    digest = sha256("\x1f".join((bucket, key, version)).encode()).hexdigest()
    return f"imp-{digest[:24]}"


def import_status(store: "ImportStore", import_id: str) -> ImportStatus:
    status = store.get(import_id)
    if status is None:
        raise NotFoundError(f"import {import_id} not found")
    return status


def list_imports(
    store: "ImportStore",
    cursors: CursorCodec,
    caller: Caller,
    *,
    key: str | None,
    limit: int,
    next_token: str | None,
) -> ImportPage:
    """Imports newest first, all of them or those of one S3 key."""
    listing = cursors.listing("imports", {"key": key}, caller.subject)
    page = store.newest(key=key, limit=limit, start=listing.start(next_token))
    return ImportPage(items=page.items, next_token=listing.next_token(page))
