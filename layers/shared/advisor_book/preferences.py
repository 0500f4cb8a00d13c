"""Advisors' notification preferences: the channels an advisor is reached on and the changes to
their book they want to hear of.

Each advisor reads and replaces their own; an admin anyone's. Another advisor's preferences are
not found, exactly as an unknown advisor's are, so ids cannot be probed. What is stored here is
what the notifier reads (`PreferencesStore.preferences`) when it decides whom to tell.

The addresses are validated by patterns that the OpenAPI document states as they are, so a
client can check a value before sending it: an ASCII address of dot-atoms (no quoted local
parts, no address literals, no internationalized names) and an E.164 number.
"""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Literal, Self

from pydantic import AfterValidator, ConfigDict, Field, StringConstraints

from advisor_book.auth import Caller
from advisor_book.errors import NotFoundError, StaleReadError
from advisor_book.models import Model, Timestamp

if TYPE_CHECKING:
    from advisor_book.store.preferences import PreferencesStore

EventType = Literal["client.assigned", "client.reassigned", "client.unassigned"]
EVENT_TYPES: tuple[EventType, ...] = ("client.assigned", "client.reassigned", "client.unassigned")

MAX_EMAIL = 254  # the longest address a mail server accepts in a path (RFC 5321)
# ASCII only: every character outside these sets (controls and spaces included) is refused.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_TOP_LABEL = r"[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])"
EMAIL_PATTERN = rf"^{_ATOM}(?:\.{_ATOM})*@(?:{_LABEL}\.)+{_TOP_LABEL}$"
# E.164: a plus, a country code that does not start with 0, at most 15 digits in all. ASCII
# digits only ("\d" would take other scripts' digits too).
PHONE_PATTERN = r"^\+[1-9][0-9]{1,14}$"

EmailAddress = Annotated[
    str,
    StringConstraints(max_length=MAX_EMAIL, pattern=EMAIL_PATTERN),
    Field(description="Where email notifications go.", examples=["ada@example.com"]),
]
PhoneNumber = Annotated[
    str,
    StringConstraints(max_length=16, pattern=PHONE_PATTERN),
    Field(description="Where SMS notifications go, in E.164 form.", examples=["+4915112345678"]),
]


def _once_each(event_types: list[EventType]) -> list[EventType]:
    """Each event type once, in the order of EVENT_TYPES: a list that names one twice is
    refused, not silently merged."""
    if len(set(event_types)) != len(event_types):
        raise ValueError("each event type may be named once")
    return [event_type for event_type in EVENT_TYPES if event_type in event_types]


EventTypes = Annotated[
    list[EventType],
    Field(
        max_length=len(EVENT_TYPES),
        json_schema_extra={"uniqueItems": True},
        description="The changes to the advisor's book that notify the advisor, each once.",
    ),
    AfterValidator(_once_each),
]


class NotificationPreferencesRequest(Model):
    """The whole of an advisor's preferences: what the body leaves out is cleared."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "email": "ada@example.com",
                    "sms": "+4915112345678",
                    "event_types": ["client.assigned"],
                }
            ]
        },
    )

    email: EmailAddress | None = None
    sms: PhoneNumber | None = None
    event_types: EventTypes = Field(default_factory=list)


class NotificationPreferences(Model):
    """An advisor's preferences as stored."""

    advisor_id: str
    email: str | None = Field(description="null: no email notifications.")
    sms: str | None = Field(description="null: no SMS notifications.")
    event_types: list[EventType] = Field(
        description="In the order client.assigned, client.reassigned, client.unassigned."
    )
    updated_at: Timestamp | None = Field(description="When they were last set; null: never.")

    @classmethod
    def never_set(cls, advisor_id: str) -> Self:
        """The preferences of an advisor who never set any: no channel, no event type."""
        return cls(advisor_id=advisor_id, email=None, sms=None, event_types=[], updated_at=None)


def _not_found(advisor_id: str) -> NotFoundError:
    return NotFoundError(f"advisor {advisor_id} not found")


def preferences_of(
    store: "PreferencesStore", caller: Caller, advisor_id: str
) -> NotificationPreferences:
    """The advisor's preferences, or none at all if the advisor never set them."""
    if not caller.acts_for(advisor_id):
        raise _not_found(advisor_id)
    preferences = store.preferences(advisor_id)
    if preferences is None:
        raise _not_found(advisor_id)
    return preferences


def replace_preferences(
    store: "PreferencesStore",
    caller: Caller,
    advisor_id: str,
    request: NotificationPreferencesRequest,
    now: datetime,
) -> NotificationPreferences:
    """Replace the advisor's preferences with `request`, recording who did it and when; an
    unknown advisor gets none (the write is one transaction that checks the advisor exists)."""
    if not caller.acts_for(advisor_id):
        raise _not_found(advisor_id)
    preferences = NotificationPreferences(
        advisor_id=advisor_id,
        email=request.email,
        sms=request.sms,
        event_types=request.event_types,
        updated_at=now,
    )
    try:
        store.replace(preferences, actor=caller.subject)
    except StaleReadError as stale:
        raise _not_found(advisor_id) from stale
    return preferences
