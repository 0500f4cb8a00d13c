"""Validated seed records, and what the ingest writes and checks for them."""

import hashlib
import json
from array import array
from dataclasses import dataclass, field
from decimal import Decimal

from pydantic import ValidationError

from advisor_book.assignments import AssignmentRecord
from advisor_book.ingest.report import clipped_name
from advisor_book.models import Account, Advisor, ClientProfile
from advisor_book.seed import SeedAdvisor, SeedClient

# The version of how a client is stored, hashed into every revision: a release that stores more
# (2: the name entries, the copy of the advisor and the index keys on the profile) changes every
# revision, so importing a file again writes each client in the new form.
STORED_FORM = 2


@dataclass
class ClientWrite:
    """A client profile as the ingest writes it: its copy, with the revision that tells a
    changed client from an unchanged one, and its accounts."""

    profile: ClientProfile
    accounts: list[Account] = field(default_factory=list)
    advisor_id: str | None = None  # the advisor copied with it: the one the stored profile names


@dataclass(frozen=True)
class StoredClient:
    """What the ingest reads of a stored client before writing it again."""

    revision: str
    advisor_id: str | None  # as its profile names it (None: none, or a profile from before)


@dataclass(frozen=True)
class AdvisorCopies:
    """What correcting the copies of a client's advisor decides on: its profile and the
    assignment that names the advisor (None: never assigned)."""

    profile: ClientProfile | None
    advisor_id: str | None  # the advisor the profile names
    assignment: AssignmentRecord | None

    @property
    def in_step(self) -> bool:
        """The profile names the advisor the assignment does."""
        return self.advisor_id == (self.assignment.advisor_id if self.assignment else None)


@dataclass(frozen=True)
class CopyState:
    """What a membership sync decides on: the client's profile, the advisor its assignment
    names, and its copy under the advisor `copy_under` (None: there is none)."""

    profile: ClientProfile | None
    assigned_to: str | None
    copy_under: str
    copy: ClientProfile | None

    @property
    def in_step(self) -> bool:
        """The copy is the profile's (the same revision)."""
        return (
            self.profile is not None
            and self.copy is not None
            and self.copy.revision == self.profile.revision
        )


def desired_advisor(record: SeedAdvisor, existing: Advisor | None) -> Advisor:
    """The advisor as the file describes it, with the counters it already has: an upload
    never resets a book."""
    return Advisor(
        advisor_id=record.advisor_id,
        name=record.name,
        focus_areas=list(record.focus_areas),
        capacity=record.capacity,
        accepting_new_clients=record.accepting_new_clients,
        client_count=existing.client_count if existing else 0,
        total_assets=existing.total_assets if existing else Decimal(0),
    )


def describe(error: ValidationError, path: str) -> tuple[str, str]:
    """The first problem of a record, with its place inside the record."""
    first = error.errors(include_url=False)[0]
    where = "".join(
        f"[{part}]" if isinstance(part, int) else f".{clipped_name(str(part))}"
        for part in first["loc"]
    )
    more = error.error_count() - 1
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return f"{path}{where}", f"{first['msg']}{suffix}"


def client_write(record: SeedClient) -> ClientWrite:
    """A validated client as stored: accounts with ids, exact total, content revision."""
    accounts = [
        Account(account_id=account_id, type=account.type, value=account.value)
        for account_id, account in zip(record.account_ids(), record.accounts, strict=True)
    ]
    total = sum((a.value for a in accounts), Decimal(0))
    content = json.dumps(
        [
            STORED_FORM,
            record.first_name,
            record.last_name,
            [a.model_dump(mode="json") for a in accounts],
        ],
        separators=(",", ":"),
    )
    return ClientWrite(
        profile=ClientProfile(
            client_id=record.client_id,
            first_name=record.first_name,
            last_name=record.last_name,
            total_value=total,
            account_count=len(accounts),
            revision=hashlib.sha256(content.encode()).hexdigest()[:24],
        ),
        accounts=accounts,
    )


class FingerprintSet:
    """The ids seen in a file, as 64-bit fingerprints in one flat open-addressing table.

    About 16 bytes an id instead of about 100 for a set of strings, so a file of millions of
    records still fits in a few tens of MB. Two different ids share a fingerprint with a chance
    of about n²/2⁶⁵ (under one in a million below six million ids).
    """

    def __init__(self) -> None:
        self._slots = array("Q", bytes(8 * 1024))
        self._used = 0

    @staticmethod
    def _fingerprint(value: str) -> int:
        digest = hashlib.blake2b(value.encode(), digest_size=8).digest()
        return int.from_bytes(digest, "big") or 1

    def _place(self, slots: array[int], fingerprint: int) -> bool:
        mask = len(slots) - 1
        slot = fingerprint & mask
        while slots[slot]:
            if slots[slot] == fingerprint:
                return False
            slot = (slot + 1) & mask
        slots[slot] = fingerprint
        return True

    def add(self, value: str) -> bool:
        """Add the id; False if it was already there."""
        if (self._used + 1) * 2 > len(self._slots):
            grown = array("Q", bytes(16 * len(self._slots)))
            for fingerprint in self._slots:
                if fingerprint:
                    self._place(grown, fingerprint)
            self._slots = grown
        added = self._place(self._slots, self._fingerprint(value))
        self._used += added
        return added
