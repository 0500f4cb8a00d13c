"""DynamoDB attribute values to Python values and back, the way boto3's TypeSerializer does.

Here rather than imported from boto3: the functions use botocore alone (see `config.session`).
Numbers are `Decimal` both ways, held to DynamoDB's own limits (38 significant digits, nothing
rounded): a float is refused rather than stored approximately.
"""

from collections.abc import Mapping, Set
from decimal import Clamped, Context, Decimal, Inexact, Overflow, Rounded, Underflow
from typing import Any

# DynamoDB's number type; any rounding, overflow or underflow raises instead of changing a value.
NUMBER_CONTEXT = Context(
    Emin=-128, Emax=126, prec=38, traps=[Clamped, Overflow, Inexact, Rounded, Underflow]
)

AttributeValue = dict[str, Any]


def _number(value: int | Decimal) -> str:
    if isinstance(value, Decimal) and not value.is_finite():
        raise TypeError(f"DynamoDB cannot store {value}")
    return str(NUMBER_CONTEXT.create_decimal(value))


def _is_number(value: object) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def serialize(value: Any) -> AttributeValue:
    """A Python value as a DynamoDB attribute value ({"S": ...}, {"N": ...}, {"M": ...}, ...)."""
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if _is_number(value):
        return {"N": _number(value)}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, bytes | bytearray):
        return {"B": bytes(value)}
    if isinstance(value, Set):
        if value and all(isinstance(member, str) for member in value):
            return {"SS": list(value)}
        if value and all(_is_number(member) for member in value):
            return {"NS": [_number(member) for member in value]}
        if value and all(isinstance(member, bytes | bytearray) for member in value):
            return {"BS": [bytes(member) for member in value]}
        raise TypeError("DynamoDB sets are non-empty and all strings, numbers or bytes")
    if isinstance(value, Mapping):
        return {"M": {str(key): serialize(member) for key, member in value.items()}}
    if isinstance(value, list | tuple):
        return {"L": [serialize(member) for member in value]}
    if isinstance(value, float):
        raise TypeError("floats are not stored: use Decimal")
    raise TypeError(f"DynamoDB cannot store a {type(value).__name__}")


def deserialize(attribute: Mapping[str, Any]) -> Any:
    """A DynamoDB attribute value as a Python value: numbers as Decimal, sets as sets."""
    ((kind, value),) = attribute.items()
    match kind:
        case "S" | "B" | "BOOL":
            return value
        case "N":
            return NUMBER_CONTEXT.create_decimal(value)
        case "NULL":
            return None
        case "SS" | "BS":
            return set(value)
        case "NS":
            return {NUMBER_CONTEXT.create_decimal(member) for member in value}
        case "L":
            return [deserialize(member) for member in value]
        case "M":
            return {key: deserialize(member) for key, member in value.items()}
    raise TypeError(f"unknown DynamoDB attribute type {kind!r}")
