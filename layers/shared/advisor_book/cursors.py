"""Opaque, tamper-evident pagination tokens.

A next_token carries DynamoDB's LastEvaluatedKey, the name of the listing and its filters,
signed with HMAC-SHA256 under a key the deployment holds, for the caller it was minted for. Any
change to the token, or using it on another listing, with other filters or as another user,
fails the signature check and is a 400.
"""

import base64
import hashlib
import hmac
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from advisor_book.errors import BadCursorError

Filters = Mapping[str, str | int | bool | None]
PageKey = dict[str, str]
_SIGNATURE_BYTES = 32


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    """Only the exact text `_b64encode` produces: base64 decoding alone would ignore stray
    characters, padding and spare bits, letting an altered token through."""
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if _b64encode(raw) != text:
        raise ValueError("not a canonical token")
    return raw


class CursorCodec:
    """Signs and checks next_token values; the key is fetched once, on first use."""

    def __init__(self, load_key: Callable[[], bytes], caller: str = "") -> None:
        self._load_key = load_key
        self._caller = caller

    def for_caller(self, subject: str) -> "CursorCodec":
        """This codec with its tokens bound to one user (the token's `sub`) as well."""
        return CursorCodec(lambda: self._key, subject)

    @cached_property
    def _key(self) -> bytes:
        return self._load_key()

    def _signature(self, listing: str, filters: Filters, payload: bytes) -> bytes:
        scope = json.dumps(
            [listing, dict(filters), self._caller], sort_keys=True, separators=(",", ":")
        )
        return hmac.new(self._key, scope.encode() + b"\n" + payload, hashlib.sha256).digest()

    def encode(self, listing: str, filters: Filters, key: PageKey | None) -> str | None:
        """The next_token for a page that ended at `key`; None when it was the last page."""
        if key is None:
            return None
        payload = json.dumps(key, sort_keys=True, separators=(",", ":")).encode()
        return _b64encode(payload + self._signature(listing, filters, payload))

    def listing(self, name: str, filters: Filters, subject: str) -> "Listing":
        """One listing with its filters, for the user `subject` (the token's `sub`)."""
        return Listing(self.for_caller(subject), name, filters)

    def decode(self, listing: str, filters: Filters, token: str | None) -> PageKey | None:
        """The key to resume from, or BadCursorError for any token this listing did not mint."""
        if token is None:
            return None
        try:
            raw = _b64decode(token)
        except ValueError as error:
            raise BadCursorError("next_token is not a valid token") from error
        payload, signature = raw[:-_SIGNATURE_BYTES], raw[-_SIGNATURE_BYTES:]
        expected = self._signature(listing, filters, payload)
        if len(raw) <= _SIGNATURE_BYTES or not hmac.compare_digest(signature, expected):
            raise BadCursorError("next_token was altered or belongs to another listing or caller")
        key = json.loads(payload)
        if not isinstance(key, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in key.items()
        ):
            raise BadCursorError("next_token is not a valid token")
        return key


@dataclass(frozen=True)
class Page[T]:
    """One page of a listing and the key the next one starts after (None: the last page).
    `ended`: the read reached an item past the listing's end."""

    items: list[T]
    next_key: PageKey | None
    ended: bool = False


@dataclass(frozen=True)
class Listing:
    """The one way every listing pages: where a caller's next_token resumes, and the token
    for the end of the page read from there."""

    codec: CursorCodec
    name: str
    filters: Filters

    def start(self, token: str | None) -> PageKey | None:
        """The key to resume from; BadCursorError for a token this listing did not mint."""
        return self.codec.decode(self.name, self.filters, token)

    def next_token(self, page: Page[Any]) -> str | None:
        return self.codec.encode(self.name, self.filters, page.next_key)
