"""Pydantic models for every boundary: seed records in, request bodies in, responses out.

Money is `Decimal` everywhere and leaves the API as a string with two decimals ("1234.50"),
so no client ever parses it as a float.
"""

import re
from datetime import UTC, datetime
from decimal import Decimal
from hashlib import sha256
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

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
# Control characters and the invisible marks that reorder text (bidirectional overrides and
# isolates): a name holding one can hide or spoof what a person reads on screen.
_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(text: str) -> str:
    if _HIDDEN.search(text):
        raise ValueError("must not contain control or bidirectional-formatting characters")
    return text


Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT),
    AfterValidator(_visible),
]


def derived_id(prefix: str, *parts: str) -> str:
    """A stable id for a record that has none, so re-uploading a file never duplicates it."""
    normalized = ("\x20".join(p.split()).casefold() for p in parts)
    digest = sha256("\x1f".join(normalized).encode()).hexdigest()
    return f"{prefix}-{digest[:16]}"


class Model(BaseModel):
    """The base of every model here. Its validators and serializers are built on first use, not
    at import: each function builds only the models it touches (the seed records never in an
    API function, the responses never in the ingest)."""

    model_config = ConfigDict(defer_build=True)


# --- Seed file records -----------------------------------------------------------------


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
    accounts: Annotated[list[SeedAccount], Field(max_length=MAX_ACCOUNTS_PER_CLIENT)] = []

    @property
    def client_id(self) -> str:
        """The file's id, or one derived from the name (see README, "Seed file")."""
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
        """The file's id, or one derived from the name (see README, "Seed file")."""
        return self.id or derived_id("adv", self.name)


# --- Domain records (what the repository returns) --------------------------------------


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

    @property
    def available(self) -> bool:
        return self.accepting_new_clients and (
            self.capacity is None or self.client_count < self.capacity
        )


class Client(Model):
    client_id: str
    first_name: str
    last_name: str
    advisor_id: str | None
    total_value: Money
    accounts: list[Account]


# --- Request bodies ---------------------------------------------------------------------


class AssignAdvisorRequest(Model):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"advisor_id": "adv-001"}]}
    )

    advisor_id: Identifier


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


class AssignmentEvent(Model):
    """One change of a client's advisor; `advisor_id` null means the client was unassigned."""

    event_id: str
    at: Timestamp
    previous_advisor_id: str | None = None
    advisor_id: str | None = None


class AssignmentHistoryPage(Model):
    client_id: str
    items: list[AssignmentEvent] = Field(description="Newest first.")
    next_token: str | None


ImportState = Literal["IN_PROGRESS", "SUCCEEDED", "PARTIAL", "FAILED"]


class RecordError(Model):
    path: str = Field(examples=["clients[41].accounts[0].value"])
    message: str


class ImportStatus(Model):
    import_id: str
    bucket: str
    key: str
    status: ImportState
    advisors_upserted: int
    clients_upserted: int
    rejected: int = Field(description="Records rejected; exact even when errors is cut at 100.")
    errors: list[RecordError] = Field(description="The first 100 rejections, in file order.")
    records_done: int = Field(
        default=0, description="Records (array elements) handled so far, in file order."
    )
    started_at: Timestamp
    finished_at: Timestamp | None

    @classmethod
    def started(cls, import_id: str, bucket: str, key: str, at: datetime) -> Self:
        """A new import: in progress, nothing counted yet."""
        return cls(
            import_id=import_id,
            bucket=bucket,
            key=key,
            status="IN_PROGRESS",
            advisors_upserted=0,
            clients_upserted=0,
            rejected=0,
            errors=[],
            records_done=0,
            started_at=at,
            finished_at=None,
        )


class ImportPage(Model):
    items: list[ImportStatus]
    next_token: str | None


ErrorCode = Literal[
    "validation_error",
    "bad_request",
    "unauthorized",
    "forbidden",
    "not_found",
    "conflict",
    "method_not_allowed",
    "unsupported_media_type",
    "internal_error",
]


class ErrorDetail(Model):
    code: ErrorCode
    message: str
    details: list[dict[str, object]] | None = None


class ErrorBody(Model):
    error: ErrorDetail


def utc_now() -> datetime:
    return datetime.now(UTC)


# --- S3 notifications (what the ingest function receives) -------------------------------


class S3Bucket(Model):
    name: str


class S3Object(Model):
    key: str = Field(description="URL-encoded, as S3 sends it.")
    version_id: str | None = Field(default=None, alias="versionId")
    e_tag: str | None = Field(default=None, alias="eTag")


class S3Entity(Model):
    bucket: S3Bucket
    object: S3Object


class S3EventRecord(Model):
    event_name: str = Field(alias="eventName")
    s3: S3Entity


class S3Notification(Model):
    """Only the fields the import needs; S3's test event has no Records at all."""

    records: list[S3EventRecord] = Field(default=[], alias="Records")


class SqsRecord(Model):
    message_id: str = Field(alias="messageId")
    body: str
    event_source_arn: str = Field(default="", alias="eventSourceARN")
    attributes: dict[str, str] = {}


class SqsNotification(Model):
    """An SQS event source batch (the ingest's continuation and failure queues)."""

    records: list[SqsRecord] = Field(alias="Records")


class InvocationRequest(Model):
    request_id: str = Field(alias="requestId")
    function_arn: str = Field(alias="functionArn")
    condition: str = Field(description="RetriesExhausted or EventAgeExceeded for a failure.")
    approximate_invoke_count: int = Field(alias="approximateInvokeCount")


class FunctionError(Model):
    """A failed invocation's answer; a runtime failure (out of memory, timed out, crashed) has
    an errorMessage and sometimes no errorType."""

    error_type: str | None = Field(default=None, alias="errorType")
    error_message: str | None = Field(default=None, alias="errorMessage")


class InvocationRecord(Model):
    """What Lambda sends the on-failure destination of an asynchronous invocation that failed
    for good: the event it was given and the answer of its last attempt."""

    version: str
    timestamp: datetime
    request_context: InvocationRequest = Field(alias="requestContext")
    request_payload: dict[str, Any] = Field(alias="requestPayload")
    response_payload: FunctionError | None = Field(default=None, alias="responsePayload")
