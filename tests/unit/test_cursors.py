"""next_token: a round trip gives the key back; any other token is a BadCursorError."""

import re
from collections.abc import Callable

import pytest

from advisor_book.cursors import CursorCodec, Filters, PageKey
from advisor_book.errors import BadCursorError

SIGNING_KEY = b"a-test-signing-key-that-is-long-enough-0123"
LISTING = "advisors"
FILTERS: Filters = {"focus_area": "retirement", "include_unavailable": False, "limit": 25}
PAGE_KEY: PageKey = {"PK": "ADVISOR#adv-007", "SK": "#PROFILE", "GSI1PK": "AVAILABLE"}


class CountingKeyLoader:
    def __init__(self, key: bytes = SIGNING_KEY) -> None:
        self.key = key
        self.calls = 0

    def __call__(self) -> bytes:
        self.calls += 1
        return self.key


@pytest.fixture
def codec() -> CursorCodec:
    return CursorCodec(lambda: SIGNING_KEY)


@pytest.fixture
def token(codec: CursorCodec) -> str:
    minted = codec.encode(LISTING, FILTERS, PAGE_KEY)
    assert minted is not None
    return minted


def test_token_round_trips_to_the_same_page_key(codec: CursorCodec, token: str) -> None:
    assert codec.decode(LISTING, FILTERS, token) == PAGE_KEY


@pytest.mark.parametrize(
    "page_key",
    [
        pytest.param({"PK": "CLIENT#cli-1", "SK": "CLIENT#cli-1"}, id="plain"),
        pytest.param({"PK": "ADVISOR#é—ü", "SK": 'quote " and \\ backslash'}, id="unicode"),
        pytest.param({}, id="empty"),
    ],
)
def test_any_page_key_round_trips(codec: CursorCodec, page_key: PageKey) -> None:
    token = codec.encode("clients", {}, page_key)
    assert token is not None
    assert codec.decode("clients", {}, token) == page_key


def test_token_is_safe_in_a_query_string(token: str) -> None:
    assert re.fullmatch(r"[A-Za-z0-9_-]+", token)


def test_last_page_has_no_token(codec: CursorCodec) -> None:
    assert codec.encode(LISTING, FILTERS, None) is None


def test_no_token_means_the_first_page(codec: CursorCodec) -> None:
    assert codec.decode(LISTING, FILTERS, None) is None


def test_a_token_decodes_with_a_fresh_codec_holding_the_same_key(token: str) -> None:
    assert CursorCodec(lambda: SIGNING_KEY).decode(LISTING, FILTERS, token) == PAGE_KEY


def test_filter_order_does_not_matter(codec: CursorCodec, token: str) -> None:
    reordered = dict(reversed(list(FILTERS.items())))
    assert codec.decode(LISTING, reordered, token) == PAGE_KEY


def flip(text: str, position: int) -> str:
    replacement = "A" if text[position] != "A" else "B"
    return text[:position] + replacement + text[position + 1 :]


TAMPERINGS: list[tuple[str, Callable[[str], str]]] = [
    ("flip-first", lambda t: flip(t, 0)),
    ("flip-middle", lambda t: flip(t, len(t) // 2)),
    ("flip-in-signature", lambda t: flip(t, len(t) - 5)),
    ("truncate-one", lambda t: t[:-1]),
    ("truncate-four", lambda t: t[:-4]),
    ("truncate-half", lambda t: t[: len(t) // 2]),
    ("keep-signature-only", lambda t: t[-43:]),
    ("append-one", lambda t: t + "A"),
    ("append-four", lambda t: t + "AAAA"),
    ("prepend-four", lambda t: "AAAA" + t),
    ("doubled", lambda t: t + t),
    ("empty", lambda t: ""),
    ("garbage", lambda t: "garbage"),
    ("long-garbage", lambda t: "x" * len(t)),
    ("not-base64", lambda t: "%%%not base64%%%"),
    ("non-ascii", lambda t: t[:-1] + "é"),
    ("only-padding", lambda t: "===="),
]


@pytest.mark.parametrize(
    "tamper", [change for _, change in TAMPERINGS], ids=[name for name, _ in TAMPERINGS]
)
def test_altered_token_is_rejected(
    codec: CursorCodec, token: str, tamper: Callable[[str], str]
) -> None:
    with pytest.raises(BadCursorError):
        codec.decode(LISTING, FILTERS, tamper(token))


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda t: t + "!", id="append-ignored-character"),
        pytest.param(lambda t: t + "=", id="append-padding"),
        pytest.param(lambda t: t + "\n", id="append-newline"),
        pytest.param(lambda t: t[:10] + "." + t[10:], id="insert-ignored-character"),
        pytest.param(lambda t: " " + t, id="prepend-space"),
    ],
)
def test_token_with_extra_characters_that_decode_to_the_same_bytes_is_rejected(
    codec: CursorCodec, token: str, tamper: Callable[[str], str]
) -> None:
    """The contract: a token that was altered is a 400; only the minted text is valid."""
    with pytest.raises(BadCursorError):
        codec.decode(LISTING, FILTERS, tamper(token))


ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


@pytest.mark.parametrize("filler", ["", "x", "xx"], ids=["length-0", "length-1", "length-2"])
def test_token_with_any_other_last_character_is_rejected(codec: CursorCodec, filler: str) -> None:
    """Whatever the token's length, no other last character is accepted."""
    token = codec.encode(LISTING, FILTERS, {"PK": "ADVISOR#adv-1", "SK": filler})
    assert token is not None
    for character in ALPHABET.replace(token[-1], ""):
        with pytest.raises(BadCursorError):
            codec.decode(LISTING, FILTERS, token[:-1] + character)


def test_token_from_another_listing_is_rejected(codec: CursorCodec, token: str) -> None:
    with pytest.raises(BadCursorError):
        codec.decode("clients", FILTERS, token)


@pytest.mark.parametrize(
    "filters",
    [
        pytest.param({**FILTERS, "focus_area": "tax planning"}, id="other-value"),
        pytest.param({**FILTERS, "include_unavailable": True}, id="other-flag"),
        pytest.param({**FILTERS, "limit": "25"}, id="same-text-other-type"),
        pytest.param({**FILTERS, "limit": 26}, id="other-limit"),
        pytest.param({**FILTERS, "focus_area": None}, id="filter-cleared"),
        pytest.param({**FILTERS, "extra": "x"}, id="filter-added"),
        pytest.param({}, id="no-filters"),
    ],
)
def test_token_used_with_other_filters_is_rejected(
    codec: CursorCodec, token: str, filters: Filters
) -> None:
    with pytest.raises(BadCursorError):
        codec.decode(LISTING, filters, token)


def test_token_of_one_advisor_clients_is_rejected_for_another_advisor(
    codec: CursorCodec,
) -> None:
    token = codec.encode("advisor_clients", {"advisor_id": "adv-001"}, PAGE_KEY)
    with pytest.raises(BadCursorError):
        codec.decode("advisor_clients", {"advisor_id": "adv-002"}, token)


def test_token_signed_with_another_key_is_rejected(token: str) -> None:
    other = CursorCodec(lambda: b"another-signing-key-of-the-same-length-0123")
    with pytest.raises(BadCursorError):
        other.decode(LISTING, FILTERS, token)


def test_rejection_message_names_the_token(codec: CursorCodec, token: str) -> None:
    with pytest.raises(BadCursorError) as error:
        codec.decode("clients", FILTERS, token)
    assert "next_token" in error.value.message


def test_key_is_not_loaded_until_a_token_is_handled() -> None:
    loader = CountingKeyLoader()
    codec = CursorCodec(loader)
    assert codec.encode(LISTING, FILTERS, None) is None
    assert codec.decode(LISTING, FILTERS, None) is None
    assert loader.calls == 0


def test_key_is_loaded_once_for_many_tokens() -> None:
    loader = CountingKeyLoader()
    codec = CursorCodec(loader)
    for position in range(5):
        token = codec.encode(LISTING, FILTERS, {"PK": f"ADVISOR#{position}", "SK": "#PROFILE"})
        assert codec.decode(LISTING, FILTERS, token) is not None
    with pytest.raises(BadCursorError):
        codec.decode(LISTING, FILTERS, "garbage")
    assert loader.calls == 1


def test_key_is_loaded_on_first_decode_even_without_an_encode() -> None:
    loader = CountingKeyLoader()
    token = CursorCodec(lambda: SIGNING_KEY).encode(LISTING, FILTERS, PAGE_KEY)
    codec = CursorCodec(loader)
    assert codec.decode(LISTING, FILTERS, token) == PAGE_KEY
    assert codec.decode(LISTING, FILTERS, token) == PAGE_KEY
    assert loader.calls == 1


def test_a_token_minted_for_one_caller_is_refused_for_another() -> None:
    loader = CountingKeyLoader()
    codec = CursorCodec(loader)
    alice, bob = codec.for_caller("sub-alice"), codec.for_caller("sub-bob")
    token = alice.encode(LISTING, FILTERS, PAGE_KEY)

    assert alice.decode(LISTING, FILTERS, token) == PAGE_KEY
    with pytest.raises(BadCursorError, match="another listing or caller"):
        bob.decode(LISTING, FILTERS, token)
    with pytest.raises(BadCursorError):
        codec.decode(LISTING, FILTERS, token)
    assert loader.calls == 1  # the callers' codecs share the one key, fetched once
