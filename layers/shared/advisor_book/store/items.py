"""How the stored items read back as domain records, for every store that reads them."""

from typing import Any

from advisor_book.assignments import AssignmentRecord, Credit
from advisor_book.models import Advisor, ClientProfile, ClientSummary

Item = dict[str, Any]


def advisor_of(item: Item) -> Advisor:
    return Advisor(
        advisor_id=item["advisor_id"],
        name=item["name"],
        focus_areas=item["focus_areas"],
        client_count=int(item["client_count"]),
        capacity=int(item["capacity"]) if "capacity" in item else None,
        accepting_new_clients=item["accepting_new_clients"],
        total_assets=item["total_assets"],
    )


def profile_of(item: Item) -> ClientProfile:
    """A client profile, or a membership copy: they hold the same attributes."""
    return ClientProfile(
        client_id=item["client_id"],
        first_name=item["first_name"],
        last_name=item["last_name"],
        total_value=item["total_value"],
        account_count=int(item["account_count"]),
        revision=item["revision"],
        named="first_name_key" in item,
    )


def client_summary_of(item: Item) -> ClientSummary:
    return ClientSummary(
        client_id=item["client_id"],
        first_name=item["first_name"],
        last_name=item["last_name"],
        total_value=item["total_value"],
        account_count=int(item["account_count"]),
    )


def assignment_of(item: Item) -> AssignmentRecord:
    """A client's `#ASSIGNMENT` item. Items stored before versions existed have none and name
    their time `assigned_at`; items stored before credits existed have none."""
    credited = "credited_revision" in item
    return AssignmentRecord(
        advisor_id=item.get("advisor_id"),
        previous_advisor_id=item.get("previous_advisor_id"),
        changed_at=item.get("changed_at") or item["assigned_at"],
        version=int(item["version"]) if "version" in item else None,
        credit=Credit(item["credited_total"], item["credited_revision"]) if credited else None,
    )


def credit_of(copy: Item | None) -> Credit:
    """What an advisor was credited for a client: its membership copy's total and revision."""
    if copy is None:
        return Credit.NOTHING
    return Credit(copy["total_value"], copy["revision"])
