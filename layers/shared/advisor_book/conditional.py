"""Conditional changes (RFC 9110): the ETag that names a client's assignment state, and the
If-Match header that makes a change only if the state is still one the caller saw.

The assignments and clients functions share it; the domain compares the tags
(`assignments.Precondition`), this module only speaks the header's syntax.
"""

import re
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Header
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponseHeader
from pydantic import WithJsonSchema

# If-Match (RFC 9110): "*" or a list of entity tags, compared strongly (a weak tag never
# matches). The tags are those GET /clients/{client_id} answers in its ETag header; a value
# that names none of them (malformed included) matches nothing.
IfMatch = Annotated[
    str | None,
    # A header is absent or a string, never null: the document says so.
    WithJsonSchema({"type": "string", "maxLength": 1024}),
    Header(
        alias="If-Match",
        max_length=1024,
        description="Change only if the client's assignment is still in this state: the ETag "
        "of GET /clients/{client_id} (several, comma-separated: any of them), or * for any "
        "client that has an advisor. Otherwise a 412.",
        examples=['"v1"'],
    ),
]
ETAG_HEADER: dict[str, OpenAPIResponseHeader] = {
    "ETag": {
        "description": "The entity tag of the client's assignment state, for If-Match.",
        "schema": {"type": "string"},
    }
}


def etag(tag: str) -> str:
    """A strong entity tag as the ETag header carries it."""
    return f'"{tag}"'


_ENTITY_TAG = r'(W/)?"([!#-~]*)"'  # etagc: any visible character but the double quote
_TAG_LIST = re.compile(rf"{_ENTITY_TAG}(?:[ \t]*,[ \t]*{_ENTITY_TAG})*")


def if_match_tags(header: str | None) -> tuple[frozenset[str] | None, bool]:
    """The tags an If-Match header admits (None: no header, or "*") and whether it is "*".
    Weak tags are left out (If-Match compares strongly), and a malformed value admits none."""
    if header is None:
        return None, False
    value = header.strip()
    if value == "*":
        return None, True
    if not _TAG_LIST.fullmatch(value):
        return frozenset(), False
    tags = re.findall(_ENTITY_TAG, value)
    return frozenset(tag for weak, tag in tags if not weak), False
