"""DynamoDB attribute values: the same wire format as boto3's TypeSerializer, in both directions."""

from decimal import Decimal, Inexact, Rounded
from typing import Any

import pytest
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from hypothesis import given
from hypothesis import strategies as st

from advisor_book import attributes

numbers = st.one_of(
    st.integers(min_value=-(10**37), max_value=10**37),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, max_value=10**12),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, st.text(max_size=20))
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=4),
    ),
    max_leaves=12,
)


@given(values)
def test_serialize_writes_what_boto3_writes(value: Any) -> None:
    assert attributes.serialize(value) == TypeSerializer().serialize(value)


@given(values)
def test_deserialize_reads_back_what_was_written(value: Any) -> None:
    wire = TypeSerializer().serialize(value)
    assert attributes.deserialize(wire) == TypeDeserializer().deserialize(wire)
    assert attributes.deserialize(attributes.serialize(value)) == value


def test_numbers_come_back_as_exact_decimals() -> None:
    assert attributes.deserialize({"N": "1234.50"}) == Decimal("1234.50")
    assert str(attributes.deserialize({"N": "0.10"})) == "0.10"


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (0.1, TypeError),
        (Decimal("NaN"), TypeError),
        (Decimal("Infinity"), TypeError),
        (Decimal("1." + "1" * 40), Inexact),  # more than DynamoDB's 38 digits
        (Decimal("1" + "0" * 39), Rounded),  # 40 digits, even if the last are zeros
        (set(), TypeError),
        ({"a", 1}, TypeError),
        (object(), TypeError),
    ],
)
def test_values_dynamodb_cannot_hold_exactly_are_refused(value: Any, error: type) -> None:
    with pytest.raises(error):
        attributes.serialize(value)


def test_sets_keep_their_kind() -> None:
    assert attributes.serialize({"b", "a"})["SS"] in (["a", "b"], ["b", "a"])
    assert attributes.serialize({Decimal(1)}) == {"NS": ["1"]}
    assert attributes.deserialize({"NS": ["1", "2.5"]}) == {Decimal(1), Decimal("2.5")}
    assert attributes.deserialize({"SS": ["x"]}) == {"x"}


def test_unknown_attribute_types_are_errors() -> None:
    with pytest.raises(TypeError, match="unknown DynamoDB attribute type"):
        attributes.deserialize({"X": "1"})
