"""The notification preferences body: what it accepts, and every way it refuses a value."""

import re
from typing import Any

import pytest
from pydantic import ValidationError

from advisor_book.preferences import (
    EMAIL_PATTERN,
    PHONE_PATTERN,
    NotificationPreferencesRequest,
)


def test_a_full_body_is_accepted_with_its_event_types_in_their_order() -> None:
    body = NotificationPreferencesRequest.model_validate(
        {
            "email": "ada@example.com",
            "sms": "+4915112345678",
            "event_types": ["client.unassigned", "client.assigned"],
        }
    )

    assert body.email == "ada@example.com"
    assert body.sms == "+4915112345678"
    assert body.event_types == ["client.assigned", "client.unassigned"]


def test_an_empty_body_clears_every_preference() -> None:
    body = NotificationPreferencesRequest.model_validate({})

    assert (body.email, body.sms, body.event_types) == (None, None, [])


@pytest.mark.parametrize(
    "email",
    [
        "ada@example.com",
        "ada.lovelace+book@mail.example.co.uk",
        "o'brien@example.org",
        "x@xn--p1ai.xn--p1ai",
        "a@b.io",
        f"{'a' * 64}@{'b' * 63}.{'c' * 63}.{'d' * 57}",
    ],
)
def test_well_formed_addresses_are_accepted(email: str) -> None:
    assert NotificationPreferencesRequest.model_validate({"email": email}).email == email


@pytest.mark.parametrize(
    "email",
    [
        pytest.param("", id="empty"),
        pytest.param("ada", id="no at"),
        pytest.param("ada@", id="no domain"),
        pytest.param("@example.com", id="no local part"),
        pytest.param("ada@example", id="no top-level domain"),
        pytest.param("ada@example.c", id="one-letter top-level domain"),
        pytest.param("ada@example.123", id="numeric top-level domain"),
        pytest.param("ada@@example.com", id="two ats"),
        pytest.param("ada@exa_mple.com", id="underscore in domain"),
        pytest.param("ada@-example.com", id="label starts with hyphen"),
        pytest.param("ada@example-.com", id="label ends with hyphen"),
        pytest.param(f"ada@{'b' * 64}.com", id="label of 64"),
        pytest.param(".ada@example.com", id="leading dot"),
        pytest.param("ada.@example.com", id="trailing dot"),
        pytest.param("a..da@example.com", id="two dots"),
        pytest.param("ada@example..com", id="empty label"),
        pytest.param("ada lovelace@example.com", id="space"),
        pytest.param(" ada@example.com", id="leading space"),
        pytest.param("ada@example.com\n", id="trailing newline"),
        pytest.param("ada@example.com\r\nBcc: eve@example.com", id="header injection"),
        pytest.param("ada\x00@example.com", id="NUL"),
        pytest.param("ada\x1b@example.com", id="escape"),
        pytest.param("ada\u202e@example.com", id="right-to-left override"),
        pytest.param("adá@example.com", id="non-ASCII local part"),
        pytest.param("ada@exámple.com", id="non-ASCII domain"),
        pytest.param('"ada"@example.com', id="quoted local part"),
        pytest.param("ada@[127.0.0.1]", id="address literal"),
        pytest.param("<ada@example.com>", id="angle brackets"),
        pytest.param(f"{'a' * 250}@example.com", id="longer than 254"),
        pytest.param("a@" + "b" * 10_000 + ".com", id="huge"),
    ],
)
def test_malformed_addresses_are_refused(email: str) -> None:
    with pytest.raises(ValidationError) as refused:
        NotificationPreferencesRequest.model_validate({"email": email})

    assert refused.value.errors()[0]["loc"] == ("email",)


@pytest.mark.parametrize("sms", ["+4915112345678", "+12", "+123456789012345", "+18005550100"])
def test_e164_numbers_are_accepted(sms: str) -> None:
    assert NotificationPreferencesRequest.model_validate({"sms": sms}).sms == sms


@pytest.mark.parametrize(
    "sms",
    [
        pytest.param("", id="empty"),
        pytest.param("4915112345678", id="no plus"),
        pytest.param("+", id="only plus"),
        pytest.param("+1", id="country code alone"),
        pytest.param("+0123456789", id="leading zero"),
        pytest.param("+1234567890123456", id="sixteen digits"),
        pytest.param("+49 151 12345678", id="spaces"),
        pytest.param("+49-151-12345678", id="hyphens"),
        pytest.param("++4915112345678", id="two pluses"),
        pytest.param("+4915112345678\n", id="trailing newline"),
        pytest.param("+49151\x0012345678", id="NUL"),
        pytest.param("+\u0664\u0669\u0661\u0665\u0661", id="Arabic-Indic digits"),
        pytest.param("+\uff14\uff19\uff11\uff15\uff11", id="fullwidth digits"),
        pytest.param("+" + "1" * 10_000, id="huge"),
    ],
)
def test_numbers_not_in_e164_form_are_refused(sms: str) -> None:
    with pytest.raises(ValidationError) as refused:
        NotificationPreferencesRequest.model_validate({"sms": sms})

    assert refused.value.errors()[0]["loc"] == ("sms",)


@pytest.mark.parametrize(
    "event_types",
    [
        pytest.param(["client.deleted"], id="unknown"),
        pytest.param(["CLIENT.ASSIGNED"], id="another case"),
        pytest.param(["client.assigned "], id="trailing space"),
        pytest.param(["client.assigned", "client.assigned"], id="twice"),
        pytest.param(["client.assigned"] * 10_000, id="huge"),
        pytest.param("client.assigned", id="a string, not a list"),
        pytest.param([None], id="null"),
        pytest.param(None, id="null list"),
    ],
)
def test_event_types_outside_the_three_or_repeated_are_refused(event_types: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        NotificationPreferencesRequest.model_validate({"event_types": event_types})

    assert refused.value.errors()[0]["loc"][0] == "event_types"


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"advisor_id": "adv-002"}, id="advisor id"),
        pytest.param({"updated_at": "2026-01-01T00:00:00Z"}, id="updated_at"),
        pytest.param({"Email": "ada@example.com"}, id="another case"),
        pytest.param({"webhook": "https://example.com"}, id="another channel"),
    ],
)
def test_fields_beyond_the_three_are_refused(body: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as refused:
        NotificationPreferencesRequest.model_validate(body)

    assert refused.value.errors()[0]["type"] == "extra_forbidden"


@pytest.mark.parametrize(
    "value",
    [123, True, ["ada@example.com"], {"address": "ada@example.com"}],
    ids=["number", "bool", "list", "object"],
)
def test_addresses_of_another_json_type_are_refused(value: Any) -> None:
    with pytest.raises(ValidationError):
        NotificationPreferencesRequest.model_validate({"email": value})
    with pytest.raises(ValidationError):
        NotificationPreferencesRequest.model_validate({"sms": value})


def test_a_refusal_never_repeats_the_value() -> None:
    """Validation errors reach the answer's details and may reach logs: no address in them."""
    with pytest.raises(ValidationError) as refused:
        NotificationPreferencesRequest.model_validate(
            {"email": "ada@example", "sms": "+49 151", "event_types": ["x"]}
        )

    for error in refused.value.errors(include_input=False):
        assert "ada@example" not in error["msg"]
        assert "+49 151" not in error["msg"]


@pytest.mark.parametrize(
    ("pattern", "value"),
    [
        (EMAIL_PATTERN, "ada@example.com"),
        (PHONE_PATTERN, "+4915112345678"),
    ],
)
def test_the_documented_patterns_are_plain_regular_expressions(pattern: str, value: str) -> None:
    """The OpenAPI document states them as they are: ECMAScript and Python read them alike."""
    assert re.fullmatch(pattern, value)
    assert not re.search(r"\\[dswDSWzZAbB]|\(\?[=!<]", pattern)
