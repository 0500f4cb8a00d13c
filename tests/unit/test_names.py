"""The normal form names are compared in, and the name prefixes a search accepts."""

import pytest

from advisor_book.errors import InvalidQueryError
from advisor_book.names import MAX_PREFIX, normalized, search_prefix


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("José", "jose", id="acute-accent"),
        pytest.param("ÁLVAREZ", "alvarez", id="capital-with-accent"),
        pytest.param("Jose\u0301", "jose", id="decomposed-accent"),
        pytest.param("Straße", "strasse", id="case-folded-sharp-s"),
        pytest.param("Zoë Ødegaard", "zoe ødegaard", id="diaeresis-and-stroke"),
        pytest.param("  Ana   María ", "ana maria", id="whitespace-collapsed"),
        pytest.param("ﬁona", "fiona", id="compatibility-ligature"),
        pytest.param("Nguyễn", "nguyen", id="stacked-marks"),
        pytest.param("O'Brien-Smith", "o'brien-smith", id="punctuation-kept"),
    ],
)
def test_the_normal_form_drops_case_accents_and_extra_spaces(name: str, expected: str) -> None:
    assert normalized(name) == expected


def test_a_prefix_is_compared_in_the_same_normal_form() -> None:
    assert normalized("José Álvarez").startswith(search_prefix("JOSÉ"))
    assert search_prefix(" jo") == "jo"


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("", id="empty"),
        pytest.param("a" * (MAX_PREFIX + 1), id="too-long"),
        pytest.param("jo\x00", id="nul"),
        pytest.param("jo\nse", id="newline"),
        pytest.param("\u202ejose", id="direction-override"),
        pytest.param("\u0301", id="only-a-mark"),
        pytest.param(" \t ", id="only-whitespace-and-a-control"),
        pytest.param("   ", id="only-spaces"),
    ],
)
def test_an_unusable_prefix_is_a_validation_error_naming_the_parameter(name: str) -> None:
    with pytest.raises(InvalidQueryError) as raised:
        search_prefix(name)

    assert raised.value.details[0]["location"] == ["query", "name"]


def test_the_longest_prefix_is_accepted() -> None:
    assert search_prefix("a" * MAX_PREFIX) == "a" * MAX_PREFIX
