"""How a person's name is compared when clients are found by name: one normal form for the
names stored and the prefixes searched, so "jose" finds "José" and "JOSÉ" alike.

The normal form is the name decomposed (NFKD), without its combining marks, case-folded, and
with its runs of whitespace made one space. It is stored beside each name when a client is
written, so a search compares stored text with a prefix and never normalizes in the database.
"""

import re
import unicodedata

from advisor_book.errors import InvalidQueryError

MAX_PREFIX = 64
# Control characters and the invisible marks that reorder text (bidirectional overrides and
# isolates): a name holding one can hide or spoof what a person reads on screen. As regular
# expression text, which Python, the OpenAPI document and its readers all understand.
HIDDEN_CHARACTERS = r"\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069"
VISIBLE_TEXT = f"^[^{HIDDEN_CHARACTERS}]*$"
_HIDDEN = re.compile(f"[{HIDDEN_CHARACTERS}]")


def has_hidden_characters(text: str) -> bool:
    """Whether the text holds a character that hides or reorders what a person reads."""
    return _HIDDEN.search(text) is not None


def normalized(name: str) -> str:
    """The name's normal form: "  José  ÁLVAREZ" -> "jose alvarez"."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def search_prefix(name: str) -> str:
    """The normal form of a name prefix a caller searches for; InvalidQueryError for one that
    is empty, longer than MAX_PREFIX characters, holds a control character, or is nothing once
    normalized (only marks or spaces)."""
    if not 1 <= len(name) <= MAX_PREFIX:
        raise InvalidQueryError(f"name must be 1 to {MAX_PREFIX} characters", "name")
    if has_hidden_characters(name):
        raise InvalidQueryError("name must not hold control or direction characters", "name")
    prefix = normalized(name)
    if not prefix:
        raise InvalidQueryError("name must hold a letter or a digit", "name")
    return prefix
