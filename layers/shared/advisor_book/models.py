"""The API's models (request bodies in, responses out), the domain's records, and the types
they share: money, timestamps, ids and text. Seed records are in `seed`, import reports in
`import_reports`, the ingest's events in `notifications`, suggestions' in `suggestions`.

Money is `Decimal` everywhere and leaves the API as a string with two decimals ("1234.50"),
so no client ever parses it as a float.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Literal, Self

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
)

from advisor_book.names import has_hidden_characters, normalized

CENT = Decimal("0.01")
MAX_ACCOUNT_VALUE = Decimal("999999999999.99")
MAX_ACCOUNTS_PER_CLIENT = 100
MAX_FOCUS_AREAS = 20
MAX_TEXT = 200
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"


def format_money(value: Decimal) -> str:
    """Two decimals, exactly, never a signed zero: Decimal("1234.5") -> "1234.50"."""
    cents = value.quantize(CENT)
    return f"{cents.copy_abs() if cents.is_zero() else cents:f}"


def format_timestamp(value: datetime) -> str:
    """RFC 3339 in UTC with a Z suffix and millisecond precision."""
    utc = value.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


Money = Annotated[
    Decimal,
    PlainSerializer(format_money, return_type=str, when_used="json"),
    WithJsonSchema(
        {"type": "string", "pattern": r"^\d+\.\d{2}$", "examples": ["1234.50"]},
        mode="serialization",
    ),
]
Timestamp = Annotated[
    AwareDatetime,
    PlainSerializer(format_timestamp, return_type=str, when_used="json"),
    WithJsonSchema(
        {"type": "string", "format": "date-time", "examples": ["2026-01-31T09:30:00.000Z"]},
        mode="serialization",
    ),
]
Identifier = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN),
    Field(description="Letters, digits, '.', '_' or '-'; at most 64 characters."),
]


def _visible(text: str) -> str:
    if has_hidden_characters(text):
        raise ValueError("must not contain control or bidirectional-formatting characters")
    return text


Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT),
    AfterValidator(_visible),
]


class Model(BaseModel):
    """The base of every model here. Its validators and serializers are built on first use, not
    at import: each function builds only the models it touches (the seed records never in an
    API function, the responses never in the ingest)."""

    model_config = ConfigDict(defer_build=True)


# --- Domain records (what the stores return) --------------------------------------


class Account(Model):
    account_id: Identifier
    type: str
    value: Money


class Advisor(Model):
    advisor_id: str
    name: str
    focus_areas: list[str]
    client_count: int
    capacity: int | None
    accepting_new_clients: bool
    total_assets: Money

    def available_with(self, client_count: int) -> bool:
        """The capacity rule, stated once: an advisor takes a new client while accepting new
        clients and below capacity (none: unlimited)."""
        return self.accepting_new_clients and (
            self.capacity is None or client_count < self.capacity
        )

    @property
    def available(self) -> bool:
        return self.available_with(self.client_count)


@dataclass(frozen=True)
class ClientProfile:
    """A client as its advisor's book shows it: what the membership copy carries, with the
    revision (a hash of the client's content) that says which version of the client it is.

    A dataclass rather than a model: the ingest builds one per client of every file."""

    client_id: str
    first_name: str
    last_name: str
    total_value: Decimal
    account_count: int
    revision: str
    named: bool = False  # stored with its name entries (`keys.name_entry`), written before it

    def copy(self) -> dict[str, object]:
        """The attributes a membership copy holds: with the names' normal forms, which a
        search by name compares (`names.normalized`)."""
        return {
            "client_id": self.client_id,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "first_name_key": normalized(self.first_name),
            "last_name_key": normalized(self.last_name),
            "total_value": self.total_value,
            "account_count": self.account_count,
            "revision": self.revision,
        }


class Client(Model):
    client_id: str
    first_name: str
    last_name: str
    advisor_id: str | None
    total_value: Money
    accounts: list[Account]
    state_tag: str  # the entity tag of the client's assignment state (`assignments.state_tag`)


# --- Request bodies ---------------------------------------------------------------------


class AssignAdvisorRequest(Model):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"advisor_id": "adv-001"},
                {"advisor_id": "adv-002", "expected_advisor_id": "adv-001"},
            ]
        },
    )

    advisor_id: Identifier
    expected_advisor_id: Identifier | None = Field(
        default=None,
        description="Assign only if the client's advisor is still this one (null: only if the "
        "client has none); otherwise a 412. Leave it out to assign whatever the client has.",
    )

    @property
    def expects_advisor(self) -> bool:
        """Whether the body states an expected advisor (null included)."""
        return "expected_advisor_id" in self.model_fields_set


# --- Responses --------------------------------------------------------------------------


class AdvisorSummary(Model):
    advisor_id: str
    name: str
    focus_areas: list[str]
    client_count: int
    capacity: int | None = Field(description="Most clients the advisor takes; null = unlimited.")
    accepting_new_clients: bool
    available: bool = Field(description="Accepting new clients and below capacity.")

    @classmethod
    def of(cls, advisor: Advisor) -> Self:
        return cls(**advisor.model_dump(exclude={"total_assets"}), available=advisor.available)


class AdvisorDetail(AdvisorSummary):
    total_assets: Money = Field(
        description="Exact sum of the total_value of the advisor's clients."
    )

    @classmethod
    def of(cls, advisor: Advisor) -> Self:
        return cls(**advisor.model_dump(), available=advisor.available)


class AdvisorPage(Model):
    items: list[AdvisorSummary]
    next_token: str | None = Field(description="Pass back as next_token for the next page.")


class ClientSummary(Model):
    client_id: str
    first_name: str
    last_name: str
    total_value: Money
    account_count: int


class AdvisorClientsPage(Model):
    advisor_id: str
    items: list[ClientSummary]
    next_token: str | None


class FoundClient(Model):
    client_id: str
    first_name: str
    last_name: str
    advisor_id: str | None = Field(description="The client's advisor; null: none.")
    total_value: Money = Field(description="Exact sum of the client's account values.")


class ClientPage(Model):
    items: list[FoundClient]
    next_token: str | None = Field(
        description="Pass back as next_token for the next page. A page may hold fewer "
        "clients than the limit (even none) and still have a next one."
    )


class ClientDetail(Model):
    client_id: str
    first_name: str
    last_name: str
    advisor_id: str | None
    total_value: Money = Field(description="Exact sum of the client's account values.")
    accounts: list[Account]


class Assignment(Model):
    client_id: str
    advisor_id: str
    previous_advisor_id: str | None
    assigned_at: Timestamp


ActorType = Literal["user", "service", "import"]


class Actor(Model):
    """Who made a change: a person (their Cognito `sub` and role), a service (its app client
    id) or an import (its import id). Ids only: the events that carry it hold no personal data."""

    type: ActorType
    id: str = Field(
        description="A person's Cognito sub, a service's app client id, or an import id."
    )
    role: Literal["admin", "advisor"] | None = Field(
        default=None, description="A person's role; null for a service or an import."
    )


class AssignmentEvent(Model):
    """One change of a client's advisor; `advisor_id` null means the client was unassigned."""

    event_id: str
    at: Timestamp
    previous_advisor_id: str | None = None
    advisor_id: str | None = None
    actor: Actor | None = Field(
        default=None,
        description="Who made the change; null for a change recorded before actors were.",
    )


class AssignmentHistoryPage(Model):
    client_id: str
    items: list[AssignmentEvent] = Field(description="Newest first.")
    next_token: str | None


ErrorCode = Literal[
    "validation_error",
    "bad_request",
    "unauthorized",
    "forbidden",
    "not_found",
    "conflict",
    "precondition_failed",
    "method_not_allowed",
    "unsupported_media_type",
    "throttled",
    "internal_error",
]


class Health(Model):
    status: Literal["ok"]


class ErrorDetail(Model):
    code: ErrorCode
    message: str
    details: list[dict[str, object]] | None = None


class ErrorBody(Model):
    error: ErrorDetail


def utc_now() -> datetime:
    return datetime.now(UTC)
