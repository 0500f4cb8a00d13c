"""Seed records as the contract describes them (DESIGN.md section 2) and the shapes the API
serialises (section 3): strict types, exact money, derived ids, availability.
"""

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from advisor_book.import_reports import ImportStatus
from advisor_book.models import (
    ID_PATTERN,
    Account,
    Advisor,
    AdvisorDetail,
    AdvisorSummary,
    Assignment,
    ClientDetail,
    ClientSummary,
    format_money,
    format_timestamp,
)
from advisor_book.seed import SeedAccount, SeedAdvisor, SeedClient


def advisor_record(**fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"name": "Jane Doe", "focus_areas": ["Retirement"]}
    record.update(fields)
    return record


def client_record(**fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "first_name": "John",
        "last_name": "Smith",
        "accounts": [{"type": "IRA", "value": Decimal("12345.67")}],
    }
    record.update(fields)
    return record


def account_record(**fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"type": "IRA", "value": Decimal("100.00")}
    record.update(fields)
    return record


def without(record: dict[str, Any], field: str) -> dict[str, Any]:
    return {name: value for name, value in record.items() if name != field}


def error_fields(error: pytest.ExceptionInfo[ValidationError]) -> set[str | int]:
    """Every name that appears in the location of a validation problem."""
    return {part for problem in error.value.errors() for part in problem["loc"]}


def advisor(**fields: Any) -> Advisor:
    values: dict[str, Any] = {
        "advisor_id": "adv-001",
        "name": "Jane Doe",
        "focus_areas": ["Retirement"],
        "client_count": 0,
        "capacity": None,
        "accepting_new_clients": True,
        "total_assets": Decimal("0"),
    }
    values.update(fields)
    return Advisor(**values)


# --- Required fields -------------------------------------------------------------------


@pytest.mark.parametrize("field", ["name", "focus_areas"])
def test_advisor_without_a_required_field_is_rejected(field: str) -> None:
    with pytest.raises(ValidationError) as error:
        SeedAdvisor.model_validate(without(advisor_record(), field))
    assert field in error_fields(error)


@pytest.mark.parametrize("field", ["first_name", "last_name"])
def test_client_without_a_required_field_is_rejected(field: str) -> None:
    with pytest.raises(ValidationError) as error:
        SeedClient.model_validate(without(client_record(), field))
    assert field in error_fields(error)


@pytest.mark.parametrize("field", ["type", "value"])
def test_account_without_a_required_field_is_rejected(field: str) -> None:
    record = client_record(accounts=[without(account_record(), field)])
    with pytest.raises(ValidationError) as error:
        SeedClient.model_validate(record)
    assert {"accounts", 0, field} <= error_fields(error)


def test_advisor_with_only_the_required_fields_is_accepted() -> None:
    record = SeedAdvisor.model_validate({"name": "Jane Doe", "focus_areas": ["Retirement"]})
    assert record.name == "Jane Doe"
    assert record.focus_areas == ["Retirement"]
    assert record.capacity is None
    assert record.accepting_new_clients is True


def test_client_with_only_the_required_fields_has_no_accounts() -> None:
    record = SeedClient.model_validate({"first_name": "John", "last_name": "Smith"})
    assert record.accounts == []
    assert record.account_ids() == []


def test_advisor_without_focus_areas_in_the_list_is_rejected() -> None:
    with pytest.raises(ValidationError) as error:
        SeedAdvisor.model_validate(advisor_record(focus_areas=[]))
    assert "focus_areas" in error_fields(error)


@pytest.mark.parametrize("name", ["", "   "])
def test_blank_name_is_rejected(name: str) -> None:
    with pytest.raises(ValidationError) as error:
        SeedAdvisor.model_validate(advisor_record(name=name))
    assert "name" in error_fields(error)


def test_surrounding_whitespace_is_trimmed_from_names() -> None:
    record = SeedClient.model_validate(client_record(first_name="  John ", last_name="Smith\t"))
    assert (record.first_name, record.last_name) == ("John", "Smith")


@pytest.mark.parametrize(
    "name",
    [
        "Jo\x00hn",
        "Jo\nhn",
        "Jo\x1b[31mhn",
        "Jo\x85hn",
        "nhoJ\u202e",
        "\u2066John\u2069",
        "Jo\u200fhn",
    ],
)
def test_names_with_control_or_bidirectional_characters_are_rejected(name: str) -> None:
    with pytest.raises(ValidationError) as error:
        SeedClient.model_validate(client_record(first_name=name))
    assert "first_name" in error_fields(error)
    with pytest.raises(ValidationError):
        SeedAdvisor.model_validate(advisor_record(focus_areas=[name]))


@pytest.mark.parametrize("name", ["Zoë", "José-María", "李 小龙", "O'Brien", "محمد"])
def test_names_in_any_script_are_accepted(name: str) -> None:
    assert SeedClient.model_validate(client_record(first_name=name)).first_name == name


# --- Strict types ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("100.00", id="string"),
        pytest.param("100", id="integer-string"),
        pytest.param(100.5, id="float"),
        pytest.param(100.0, id="whole-float"),
        pytest.param(True, id="true"),
        pytest.param(False, id="false"),
        pytest.param(None, id="null"),
        pytest.param([100], id="array"),
        pytest.param({"amount": 100}, id="object"),
    ],
)
def test_account_value_that_is_not_a_json_number_is_rejected(value: object) -> None:
    with pytest.raises(ValidationError) as error:
        SeedAccount.model_validate(account_record(value=value))
    assert "value" in error_fields(error)


def test_account_value_given_as_an_integer_becomes_an_exact_decimal() -> None:
    record = SeedAccount.model_validate(account_record(value=1500))
    assert isinstance(record.value, Decimal)
    assert record.value == Decimal("1500")


def test_account_value_given_as_a_decimal_is_kept_exactly() -> None:
    record = SeedAccount.model_validate(account_record(value=Decimal("0.10")))
    assert record.value == Decimal("0.10")
    assert isinstance(record.value, Decimal)


@pytest.mark.parametrize(
    ("model", "record", "field"),
    [
        pytest.param(SeedAdvisor, advisor_record(name=42), "name", id="advisor-name-number"),
        pytest.param(
            SeedAdvisor, advisor_record(focus_areas="Retirement"), "focus_areas", id="focus-str"
        ),
        pytest.param(SeedAdvisor, advisor_record(focus_areas=[7]), "focus_areas", id="focus-int"),
        pytest.param(SeedAdvisor, advisor_record(id=1), "id", id="advisor-id-number"),
        pytest.param(
            SeedAdvisor,
            advisor_record(accepting_new_clients="true"),
            "accepting_new_clients",
            id="accepting-string",
        ),
        pytest.param(
            SeedAdvisor,
            advisor_record(accepting_new_clients=1),
            "accepting_new_clients",
            id="accepting-number",
        ),
        pytest.param(SeedClient, client_record(first_name=1), "first_name", id="first-name-int"),
        pytest.param(SeedClient, client_record(last_name=None), "last_name", id="last-name-null"),
        pytest.param(SeedClient, client_record(accounts={}), "accounts", id="accounts-object"),
        pytest.param(SeedAccount, account_record(type=401), "type", id="account-type-number"),
        pytest.param(SeedAccount, account_record(id=7), "id", id="account-id-number"),
    ],
)
def test_field_of_the_wrong_json_type_is_rejected(
    model: type[BaseModel], record: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as error:
        model.model_validate(record)
    assert field in error_fields(error)


# --- Account value range and precision ---------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(Decimal("-0.01"), id="negative-cent"),
        pytest.param(Decimal("-1"), id="negative-decimal"),
        pytest.param(-1, id="negative-integer"),
        pytest.param(Decimal("NaN"), id="nan"),
        pytest.param(Decimal("sNaN"), id="signalling-nan"),
        pytest.param(Decimal("Infinity"), id="infinity"),
        pytest.param(Decimal("-Infinity"), id="minus-infinity"),
        pytest.param(Decimal("1000000000000.00"), id="above-maximum"),
        pytest.param(10**13, id="huge-integer"),
        pytest.param(Decimal("1E+400"), id="huge-exponent"),
        pytest.param(Decimal("0.001"), id="three-decimals"),
        pytest.param(Decimal("12.345"), id="three-decimals-above-one"),
        pytest.param(Decimal("1E-5"), id="tiny-exponent"),
    ],
)
def test_account_value_out_of_range_or_finer_than_a_cent_is_rejected(value: object) -> None:
    with pytest.raises(ValidationError) as error:
        SeedAccount.model_validate(account_record(value=value))
    assert "value" in error_fields(error)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(Decimal("0"), id="zero"),
        pytest.param(0, id="integer-zero"),
        pytest.param(Decimal("0.01"), id="one-cent"),
        pytest.param(Decimal("12345.6"), id="one-decimal"),
        pytest.param(Decimal("999999999999.99"), id="maximum"),
        pytest.param(Decimal("1E+3"), id="exponent"),
        pytest.param(Decimal("1.230"), id="trailing-zero-is-not-a-third-decimal"),
    ],
)
def test_account_value_within_range_is_accepted_exactly(value: Decimal | int) -> None:
    record = SeedAccount.model_validate(account_record(value=value))
    assert record.value == value


# --- Strings -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "field", "base"),
    [
        pytest.param(SeedAdvisor, "name", advisor_record, id="advisor-name"),
        pytest.param(SeedClient, "first_name", client_record, id="first-name"),
        pytest.param(SeedClient, "last_name", client_record, id="last-name"),
        pytest.param(SeedAccount, "type", account_record, id="account-type"),
    ],
)
def test_string_over_200_characters_is_rejected(
    model: type[BaseModel], field: str, base: Any
) -> None:
    model.model_validate(base(**{field: "x" * 200}))
    with pytest.raises(ValidationError) as error:
        model.model_validate(base(**{field: "x" * 201}))
    assert field in error_fields(error)


def test_focus_area_over_200_characters_is_rejected() -> None:
    with pytest.raises(ValidationError) as error:
        SeedAdvisor.model_validate(advisor_record(focus_areas=["Retirement", "x" * 201]))
    assert {"focus_areas", 1} <= error_fields(error)


@pytest.mark.parametrize(
    "record_id",
    [
        pytest.param("x" * 201, id="over-200"),
        pytest.param("a" * 65, id="over-64"),
        pytest.param("", id="empty"),
        pytest.param("adv 001", id="space"),
        pytest.param("-adv", id="leading-dash"),
        pytest.param("adv/001", id="slash"),
        pytest.param("adv#001", id="hash"),
    ],
)
def test_malformed_id_is_rejected(record_id: str) -> None:
    for model, record in (
        (SeedAdvisor, advisor_record(id=record_id)),
        (SeedClient, client_record(id=record_id)),
        (SeedAccount, account_record(id=record_id)),
    ):
        with pytest.raises(ValidationError) as error:
            model.model_validate(record)
        assert "id" in error_fields(error)


def test_id_given_in_the_file_is_kept() -> None:
    assert SeedAdvisor.model_validate(advisor_record(id="adv-001")).advisor_id == "adv-001"
    assert SeedClient.model_validate(client_record(id="cli-0001")).client_id == "cli-0001"


# --- Unknown fields ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "record"),
    [
        pytest.param(SeedAdvisor, advisor_record(email="jane@example.com"), id="advisor"),
        pytest.param(SeedClient, client_record(advisor_id="adv-001"), id="client"),
        pytest.param(SeedAccount, account_record(currency="USD"), id="account"),
    ],
)
def test_unknown_field_is_rejected(model: type[BaseModel], record: dict[str, Any]) -> None:
    unknown = next(name for name in record if name not in model.model_fields)
    with pytest.raises(ValidationError) as error:
        model.model_validate(record)
    assert unknown in error_fields(error)


def test_unknown_field_inside_an_account_is_rejected_with_its_path() -> None:
    record = client_record(accounts=[account_record(), account_record(currency="USD")])
    with pytest.raises(ValidationError) as error:
        SeedClient.model_validate(record)
    assert {"accounts", 1, "currency"} <= error_fields(error)


# --- Capacity and accepting_new_clients ----------------------------------------------------


@pytest.mark.parametrize("capacity", [1, 25, 1_000])
def test_positive_integer_capacity_is_accepted(capacity: int) -> None:
    assert SeedAdvisor.model_validate(advisor_record(capacity=capacity)).capacity == capacity


@pytest.mark.parametrize(
    "record",
    [
        pytest.param(advisor_record(), id="absent"),
        pytest.param(advisor_record(capacity=None), id="null"),
    ],
)
def test_absent_or_null_capacity_means_unlimited(record: dict[str, Any]) -> None:
    assert SeedAdvisor.model_validate(record).capacity is None


@pytest.mark.parametrize(
    "capacity",
    [
        pytest.param(0, id="zero"),
        pytest.param(-1, id="negative"),
        pytest.param(2.5, id="fraction"),
        pytest.param(25.0, id="whole-float"),
        pytest.param(Decimal("2.5"), id="decimal-fraction"),
        pytest.param("25", id="string"),
        pytest.param(True, id="bool"),
    ],
)
def test_capacity_that_is_not_a_positive_integer_is_rejected(capacity: object) -> None:
    with pytest.raises(ValidationError) as error:
        SeedAdvisor.model_validate(advisor_record(capacity=capacity))
    assert "capacity" in error_fields(error)


def test_accepting_new_clients_defaults_to_true() -> None:
    assert SeedAdvisor.model_validate(advisor_record()).accepting_new_clients is True


def test_accepting_new_clients_false_is_kept() -> None:
    record = SeedAdvisor.model_validate(advisor_record(accepting_new_clients=False))
    assert record.accepting_new_clients is False


# --- Derived ids ----------------------------------------------------------------------------


def test_advisor_without_an_id_gets_the_same_id_on_every_upload() -> None:
    first = SeedAdvisor.model_validate(advisor_record()).advisor_id
    again = SeedAdvisor.model_validate(advisor_record(focus_areas=["Estate"], capacity=3))
    assert first == again.advisor_id
    assert first.startswith("adv-")


def test_advisors_with_different_names_get_different_ids() -> None:
    jane = SeedAdvisor.model_validate(advisor_record(name="Jane Doe")).advisor_id
    john = SeedAdvisor.model_validate(advisor_record(name="John Doe")).advisor_id
    assert jane != john


@pytest.mark.parametrize("name", ["jane doe", "JANE DOE", "  Jane Doe  ", "\tjane DOE\n"])
def test_derived_advisor_id_ignores_case_and_surrounding_whitespace(name: str) -> None:
    expected = SeedAdvisor.model_validate(advisor_record(name="Jane Doe")).advisor_id
    assert SeedAdvisor.model_validate(advisor_record(name=name)).advisor_id == expected


def test_client_without_an_id_gets_the_same_id_on_every_upload() -> None:
    first = SeedClient.model_validate(client_record()).client_id
    again = SeedClient.model_validate(client_record(accounts=[]))
    assert first == again.client_id
    assert first.startswith("cli-")


@pytest.mark.parametrize(
    ("first_name", "last_name"),
    [("JOHN", "smith"), (" John", "Smith "), ("john", "SMITH")],
)
def test_derived_client_id_ignores_case_and_surrounding_whitespace(
    first_name: str, last_name: str
) -> None:
    expected = SeedClient.model_validate(client_record()).client_id
    record = SeedClient.model_validate(client_record(first_name=first_name, last_name=last_name))
    assert record.client_id == expected


@pytest.mark.parametrize(
    ("other_first", "other_last"),
    [
        pytest.param("Jane", "Smith", id="first-name"),
        pytest.param("John", "Smyth", id="last-name"),
        pytest.param("Smith", "John", id="swapped"),
        pytest.param("Jo", "hnSmith", id="split-elsewhere"),
    ],
)
def test_clients_with_different_names_get_different_ids(other_first: str, other_last: str) -> None:
    john = SeedClient.model_validate(client_record()).client_id
    other = SeedClient.model_validate(client_record(first_name=other_first, last_name=other_last))
    assert other.client_id != john


def test_derived_ids_are_valid_identifiers() -> None:
    import re

    client = SeedClient.model_validate(client_record())
    ids = [
        SeedAdvisor.model_validate(advisor_record()).advisor_id,
        client.client_id,
        *client.account_ids(),
    ]
    assert all(re.fullmatch(ID_PATTERN, record_id) for record_id in ids)


def test_derived_advisor_id_differs_from_the_derived_client_id_of_the_same_name() -> None:
    advisor_id = SeedAdvisor.model_validate(advisor_record(name="Jane Doe")).advisor_id
    client_id = SeedClient.model_validate(client_record(first_name="Jane", last_name="Doe"))
    assert advisor_id != client_id.client_id


def test_accounts_without_ids_are_named_by_their_position() -> None:
    accounts = [account_record(type="IRA"), account_record(type="Brokerage")]
    swapped = [account_record(type="Brokerage", value=Decimal("5")), account_record(type="IRA")]
    first = SeedClient.model_validate(client_record(accounts=accounts)).account_ids()
    again = SeedClient.model_validate(client_record(accounts=swapped)).account_ids()
    assert first == again
    assert len(set(first)) == 2
    assert all(account_id.startswith("acc-") for account_id in first)


def test_derived_account_ids_differ_between_clients() -> None:
    john = SeedClient.model_validate(client_record()).account_ids()
    jane = SeedClient.model_validate(client_record(first_name="Jane")).account_ids()
    assert set(john).isdisjoint(jane)


def test_account_ids_given_in_the_file_are_kept_beside_derived_ones() -> None:
    record = SeedClient.model_validate(
        client_record(accounts=[account_record(id="acc-0001"), account_record()])
    )
    ids = record.account_ids()
    assert ids[0] == "acc-0001"
    assert ids[1] != "acc-0001"
    assert ids[1].startswith("acc-")


def test_duplicate_account_ids_within_a_client_are_rejected() -> None:
    accounts = [account_record(id="acc-0001"), account_record(id="acc-0001")]
    with pytest.raises(ValidationError) as error:
        SeedClient.model_validate(client_record(accounts=accounts))
    assert "unique" in str(error.value)


def test_same_account_id_under_two_clients_is_accepted() -> None:
    accounts = [account_record(id="acc-0001")]
    for first_name in ("John", "Jane"):
        record = SeedClient.model_validate(client_record(first_name=first_name, accounts=accounts))
        assert record.account_ids() == ["acc-0001"]


def test_too_many_accounts_are_rejected() -> None:
    SeedClient.model_validate(client_record(accounts=[account_record()] * 100))
    with pytest.raises(ValidationError) as error:
        SeedClient.model_validate(client_record(accounts=[account_record()] * 101))
    assert "accounts" in error_fields(error)


# --- Money -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("1234.5"), "1234.50"),
        (Decimal("1234.50"), "1234.50"),
        (Decimal("1234"), "1234.00"),
        (Decimal("0"), "0.00"),
        (Decimal("0.1"), "0.10"),
        (Decimal("1E+3"), "1000.00"),
        (Decimal("999999999999.99"), "999999999999.99"),
        (Decimal("12345678901234567890.12"), "12345678901234567890.12"),
    ],
)
def test_money_is_formatted_with_exactly_two_decimals(value: Decimal, text: str) -> None:
    assert format_money(value) == text


@pytest.mark.parametrize("value", [Decimal("-0"), Decimal("-0.0"), Decimal("-0.00")])
def test_negative_zero_is_formatted_without_a_sign(value: Decimal) -> None:
    """JSON allows `-0.0`; it passes the `>= 0` rule, so it must not leave the API as "-0.00"."""
    assert format_money(value) == "0.00"


def test_money_leaves_the_models_as_a_string_with_two_decimals() -> None:
    detail = ClientDetail(
        client_id="cli-0001",
        first_name="John",
        last_name="Smith",
        advisor_id=None,
        total_value=Decimal("1234.5"),
        accounts=[Account(account_id="acc-0001", type="IRA", value=Decimal("1234.5"))],
    )
    body = detail.model_dump(mode="json")
    assert body["total_value"] == "1234.50"
    assert body["accounts"][0]["value"] == "1234.50"
    assert '"total_value":"1234.50"' in detail.model_dump_json()


def test_money_stays_a_decimal_in_python_mode() -> None:
    summary = ClientSummary(
        client_id="cli-0001",
        first_name="John",
        last_name="Smith",
        total_value=Decimal("10.5"),
        account_count=1,
    )
    assert summary.model_dump()["total_value"] == Decimal("10.5")
    assert summary.model_dump(mode="json")["total_value"] == "10.50"


def test_money_schema_documents_a_string() -> None:
    schema = ClientSummary.model_json_schema(mode="serialization")
    assert schema["properties"]["total_value"]["type"] == "string"


def test_advisor_detail_serialises_total_assets_as_money() -> None:
    detail = AdvisorDetail.of(advisor(total_assets=Decimal("0.3")))
    assert detail.model_dump(mode="json")["total_assets"] == "0.30"


# --- Timestamps ------------------------------------------------------------------------------


def test_timestamp_is_rfc3339_utc_with_z_and_milliseconds() -> None:
    at = datetime(2026, 1, 31, 10, 30, 0, 123456, tzinfo=timezone(timedelta(hours=1)))
    assert format_timestamp(at) == "2026-01-31T09:30:00.123Z"


def test_assignment_time_leaves_the_model_in_utc_with_z() -> None:
    at = datetime(2026, 1, 31, 4, 30, tzinfo=timezone(timedelta(hours=-5)))
    assignment = Assignment(
        client_id="cli-0001", advisor_id="adv-001", previous_advisor_id=None, assigned_at=at
    )
    assert assignment.model_dump(mode="json")["assigned_at"] == "2026-01-31T09:30:00.000Z"


def test_timestamp_without_a_time_zone_is_rejected() -> None:
    with pytest.raises(ValidationError) as error:
        Assignment(
            client_id="cli-0001",
            advisor_id="adv-001",
            previous_advisor_id=None,
            assigned_at=datetime(2026, 1, 31, 9, 30),
        )
    assert "assigned_at" in error_fields(error)


def test_import_status_times_are_utc_and_an_unfinished_import_has_null() -> None:
    status = ImportStatus.started(
        "imp-1", "bucket", "data.json", datetime(2026, 1, 31, 9, 30, 0, 5000, tzinfo=UTC)
    )
    body = status.model_dump(mode="json")
    assert body["started_at"] == "2026-01-31T09:30:00.005Z"
    assert body["finished_at"] is None


# --- Availability ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accepting", "capacity", "client_count", "available"),
    [
        pytest.param(True, None, 0, True, id="unlimited-empty"),
        pytest.param(True, None, 10_000, True, id="unlimited-busy"),
        pytest.param(True, 3, 0, True, id="empty"),
        pytest.param(True, 3, 2, True, id="one-place-left"),
        pytest.param(True, 3, 3, False, id="full"),
        pytest.param(True, 3, 4, False, id="over-capacity"),
        pytest.param(False, None, 0, False, id="not-accepting-unlimited"),
        pytest.param(False, 3, 0, False, id="not-accepting-with-room"),
        pytest.param(False, 3, 3, False, id="not-accepting-full"),
    ],
)
def test_advisor_is_available_when_accepting_and_below_capacity(
    accepting: bool, capacity: int | None, client_count: int, available: bool
) -> None:
    record = advisor(accepting_new_clients=accepting, capacity=capacity, client_count=client_count)
    assert record.available is available
    assert AdvisorSummary.of(record).available is available
    assert AdvisorDetail.of(record).available is available


def test_advisor_summary_has_exactly_the_contract_fields() -> None:
    record = advisor(capacity=25, client_count=3, total_assets=Decimal("100"))
    body = AdvisorSummary.of(record).model_dump(mode="json")
    assert body == {
        "advisor_id": "adv-001",
        "name": "Jane Doe",
        "focus_areas": ["Retirement"],
        "client_count": 3,
        "capacity": 25,
        "accepting_new_clients": True,
        "available": True,
    }


def test_advisor_detail_is_the_summary_plus_total_assets() -> None:
    record = advisor(capacity=None, client_count=1, total_assets=Decimal("12.3"))
    body = AdvisorDetail.of(record).model_dump(mode="json")
    summary = AdvisorSummary.of(record).model_dump(mode="json")
    assert body == {**summary, "total_assets": "12.30"}
    assert body["capacity"] is None
