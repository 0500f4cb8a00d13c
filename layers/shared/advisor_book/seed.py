"""The records of a seed file, validated strictly: strings are never numbers, numbers never
strings, unknown fields are errors, and money is an exact decimal from the file on."""

from decimal import Decimal
from hashlib import sha256
from typing import Annotated, Self

from pydantic import BeforeValidator, ConfigDict, Field, model_validator

from advisor_book.models import (
    MAX_ACCOUNT_VALUE,
    MAX_ACCOUNTS_PER_CLIENT,
    MAX_FOCUS_AREAS,
    Identifier,
    Model,
    Text,
)


def derived_id(prefix: str, *parts: str) -> str:
    """A stable id for a record that has none, so re-uploading a file never duplicates it."""
    normalized = ("\x20".join(p.split()).casefold() for p in parts)
    digest = sha256("\x1f".join(normalized).encode()).hexdigest()
    return f"{prefix}-{digest[:16]}"


class SeedRecord(Model):
    """Strict: strings are never numbers, numbers never strings, and unknown fields are errors."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


def _integer_as_decimal(value: object) -> object:
    """JSON `100` arrives as int; it is as exact as `100.00`. Strings and floats stay errors.
    A JSON `-0.0` is zero and is stored as such."""
    if isinstance(value, str):
        raise ValueError("must be a JSON number, not a string")
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, Decimal) and value.is_zero():
        return Decimal(0)
    return value


class SeedAccount(SeedRecord):
    id: Identifier | None = None
    type: Text
    value: Annotated[
        Decimal,
        BeforeValidator(_integer_as_decimal),
        Field(ge=0, le=MAX_ACCOUNT_VALUE, decimal_places=2, allow_inf_nan=False),
    ]


class SeedClient(SeedRecord):
    id: Identifier | None = None
    first_name: Text
    last_name: Text
    accounts: Annotated[list[SeedAccount], Field(max_length=MAX_ACCOUNTS_PER_CLIENT)] = Field(
        default_factory=list
    )

    @property
    def client_id(self) -> str:
        """The file's id, or one derived from the name (see docs/ingest.md, "Ids when absent")."""
        return self.id or derived_id("cli", self.first_name, self.last_name)

    def account_ids(self) -> list[str]:
        """Each account's id, or one derived from the client id and the account's position."""
        return [
            account.id or derived_id("acc", self.client_id, str(position))
            for position, account in enumerate(self.accounts, start=1)
        ]

    @model_validator(mode="after")
    def _account_ids_are_unique(self) -> Self:
        ids = self.account_ids()
        if len(set(ids)) != len(ids):
            raise ValueError("account ids must be unique within a client")
        return self


class SeedAdvisor(SeedRecord):
    id: Identifier | None = None
    name: Text
    focus_areas: Annotated[list[Text], Field(min_length=1, max_length=MAX_FOCUS_AREAS)]
    capacity: Annotated[int, Field(ge=1, le=1_000_000)] | None = None
    accepting_new_clients: bool = True

    @property
    def advisor_id(self) -> str:
        """The file's id, or one derived from the name (see docs/ingest.md, "Ids when absent")."""
        return self.id or derived_id("adv", self.name)
