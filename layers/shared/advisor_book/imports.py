"""Reading seed-file imports, and the rule that names them."""

from hashlib import sha256

from advisor_book.auth import Caller
from advisor_book.cursors import CursorCodec
from advisor_book.errors import NotFoundError
from advisor_book.models import ImportPage, ImportStatus
from advisor_book.repository import BookRepository


def import_id_for(bucket: str, key: str, version: str) -> str:
    """The same S3 object (bucket, key, and version id or ETag) is always the same import."""
    digest = sha256("\x1f".join((bucket, key, version)).encode()).hexdigest()
    return f"imp-{digest[:24]}"


def import_status(repo: BookRepository, import_id: str) -> ImportStatus:
    status = repo.get_import(import_id)
    if status is None:
        raise NotFoundError(f"import {import_id} not found")
    return status


def list_imports(
    repo: BookRepository,
    cursors: CursorCodec,
    caller: Caller,
    *,
    key: str | None,
    limit: int,
    next_token: str | None,
) -> ImportPage:
    """Imports newest first, all of them or those of one S3 key."""
    filters = {"key": key}
    cursors = cursors.for_caller(caller.subject)
    start = cursors.decode("imports", filters, next_token)
    items, next_key = repo.list_imports(key=key, limit=limit, start=start)
    return ImportPage(items=items, next_token=cursors.encode("imports", filters, next_key))
