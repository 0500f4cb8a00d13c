"""The table's key layout: every item type's PK/SK, the order of an advisor's partition and the
attributes that place an item in a global secondary index.
"""

from datetime import UTC, datetime, timedelta

import pytest

from advisor_book import keys
from advisor_book.models import format_timestamp
from local.harness import template


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        pytest.param(
            keys.advisor_profile("adv-001"),
            {"PK": "ADVISOR#adv-001", "SK": "#PROFILE"},
            id="advisor-profile",
        ),
        pytest.param(
            keys.notification_preferences("adv-001"),
            {"PK": "ADVISOR#adv-001", "SK": "#NOTIFY"},
            id="notification-preferences",
        ),
        pytest.param(
            keys.membership("adv-001", "cli-0001"),
            {"PK": "ADVISOR#adv-001", "SK": "CLIENT#cli-0001"},
            id="membership",
        ),
        pytest.param(
            keys.client_profile("cli-0001"),
            {"PK": "CLIENT#cli-0001", "SK": "#PROFILE"},
            id="client-profile",
        ),
        pytest.param(
            keys.client_assignment("cli-0001"),
            {"PK": "CLIENT#cli-0001", "SK": "#ASSIGNMENT"},
            id="client-assignment",
        ),
        pytest.param(
            keys.name_entry("cli-0001", keys.FIRST),
            {"PK": "CLIENT#cli-0001", "SK": "#NAME#FIRST"},
            id="first-name-entry",
        ),
        pytest.param(
            keys.name_entry("cli-0001", keys.LAST),
            {"PK": "CLIENT#cli-0001", "SK": "#NAME#LAST"},
            id="last-name-entry",
        ),
        pytest.param(
            keys.history_event("cli-0001", "2026-01-31T09:30:00.000Z", "evt-1"),
            {"PK": "CLIENT#cli-0001", "SK": "HISTORY#2026-01-31T09:30:00.000Z#evt-1"},
            id="history-event",
        ),
        pytest.param(
            keys.import_status("imp-1"),
            {"PK": "IMPORT#imp-1", "SK": "#STATUS"},
            id="import-status",
        ),
    ],
)
def test_each_item_type_has_its_primary_key(key: keys.Key, expected: keys.Key) -> None:
    assert key == expected


def test_partition_key_builders_agree_with_the_item_keys() -> None:
    assert keys.advisor_profile("adv-001")[keys.PK] == keys.advisor_pk("adv-001")
    assert keys.membership("adv-001", "cli-1")[keys.PK] == keys.advisor_pk("adv-001")
    assert keys.client_profile("cli-1")[keys.PK] == keys.client_pk("cli-1")
    assert keys.client_assignment("cli-1")[keys.PK] == keys.client_pk("cli-1")
    assert keys.history_event("cli-1", "t", "e")[keys.PK] == keys.client_pk("cli-1")


def test_memberships_share_the_advisor_partition_and_the_client_prefix() -> None:
    sort_key = keys.membership("adv-001", "cli-0001")[keys.SK]
    assert sort_key.startswith(keys.MEMBER_PREFIX)
    assert (
        keys.membership("adv-001", "cli-0001")[keys.PK] == keys.advisor_profile("adv-001")[keys.PK]
    )


def test_same_id_as_advisor_and_as_client_lands_in_different_partitions() -> None:
    assert keys.advisor_pk("x-1") != keys.client_pk("x-1")


def test_client_singletons_sort_before_its_history() -> None:
    event = keys.history_event("cli-1", "2026-01-31T09:30:00.000Z", "e")[keys.SK]
    assert keys.client_profile("cli-1")[keys.SK] < event
    assert keys.client_assignment("cli-1")[keys.SK] < event
    for part in (keys.FIRST, keys.LAST):
        assert keys.name_entry("cli-1", part)[keys.SK] < event
        assert keys.name_entry("cli-1", part)[keys.SK].startswith(keys.SINGLETON_PREFIX)
    assert not event.startswith(keys.SINGLETON_PREFIX)


@pytest.mark.parametrize(
    "singleton", [keys.PROFILE, keys.NOTIFY, keys.ASSIGNMENT, keys.IMPORT_STATUS]
)
@pytest.mark.parametrize("client_id", ["0", "A", "a", "cli-0001", "zzz", "9.9"])
def test_singleton_sort_keys_sort_before_collection_prefixes(
    singleton: str, client_id: str
) -> None:
    assert singleton < keys.membership("adv-001", client_id)[keys.SK]


def test_advisor_partition_in_sort_order_starts_with_the_profile() -> None:
    items = [
        keys.membership("adv-001", "cli-2"),
        keys.membership("adv-001", "0-first"),
        keys.advisor_profile("adv-001"),
        keys.membership("adv-001", "Z-last"),
    ]
    in_order = sorted(item[keys.SK] for item in items)
    assert in_order[0] == "#PROFILE"
    assert all(sort_key.startswith("CLIENT#") for sort_key in in_order[1:])


def test_an_advisors_preferences_sort_before_the_profile_and_its_book() -> None:
    """The book's Query starts at the profile and leaves the preferences out; the singletons'
    Query, up to the profile, reads both."""
    preferences = keys.notification_preferences("adv-001")
    assert preferences[keys.PK] == keys.advisor_pk("adv-001")
    assert preferences[keys.SK] < keys.advisor_profile("adv-001")[keys.SK]
    assert preferences[keys.SK].startswith(keys.SINGLETON_PREFIX)


def test_client_partition_holds_profile_and_assignment_as_distinct_singletons() -> None:
    profile = keys.client_profile("cli-1")
    assignment = keys.client_assignment("cli-1")
    assert profile[keys.PK] == assignment[keys.PK]
    assert profile[keys.SK] != assignment[keys.SK]


def test_history_events_sort_chronologically() -> None:
    start = datetime(2026, 1, 31, 9, 59, 59, 999000, tzinfo=UTC)
    times = [start + timedelta(milliseconds=step) for step in (0, 1, 1_000, 86_400_000)]
    sort_keys = [
        keys.history_event("cli-1", format_timestamp(at), f"evt-{9 - n}")[keys.SK]
        for n, at in enumerate(times)
    ]
    assert sorted(sort_keys) == sort_keys


def test_available_advisor_carries_the_sparse_availability_index() -> None:
    assert keys.availability_index("adv-001") == {"GSI1PK": "AVAILABLE", "GSI1SK": "adv-001"}


def test_every_advisor_carries_the_directory_index() -> None:
    assert keys.advisor_directory_index("adv-001") == {"GSI2PK": "ADVISORS", "GSI2SK": "adv-001"}


def test_a_client_profile_carries_the_directory_and_while_unassigned_the_unassigned_index() -> None:
    assert keys.client_directory_index("cli-1") == {"GSI2PK": "CLIENTS", "GSI2SK": "cli-1"}
    assert keys.unassigned_index("cli-1") == {"GSI1PK": "UNASSIGNED", "GSI1SK": "cli-1"}


def test_a_name_entry_is_bucketed_by_its_first_character_and_sorted_by_name_then_id() -> None:
    assert keys.name_index("jose alvarez", "cli-1") == {
        "GSI1PK": "NAME#j",
        "GSI1SK": "jose alvarez#cli-1",
    }
    assert keys.name_bucket("jo") == keys.name_index("jose", "cli-2")[keys.GSI1_PK]
    assert keys.name_index("jose", "cli-2")[keys.GSI1_SK].startswith("jo")


@pytest.mark.parametrize("s3_key", ["UNASSIGNED", "NAME#a", "AVAILABLE"])
def test_the_partitions_of_gsi1_never_mix(s3_key: str) -> None:
    partitions = [
        keys.availability_index("adv-1")[keys.GSI1_PK],
        keys.unassigned_index("cli-1")[keys.GSI1_PK],
        keys.name_index("a", "cli-1")[keys.GSI1_PK],
        keys.import_indexes(s3_key, "2026-01-31T09:30:00.000Z", "imp-1")[keys.GSI1_PK],
    ]
    assert len(set(partitions)) == len(partitions)


def test_the_partitions_of_gsi2_never_mix() -> None:
    partitions = {
        keys.advisor_directory_index("adv-1")[keys.GSI2_PK],
        keys.client_directory_index("cli-1")[keys.GSI2_PK],
        keys.import_indexes("k", "2026-01-31T09:30:00.000Z", "imp-1")[keys.GSI2_PK],
    }
    assert len(partitions) == 3


def test_import_carries_its_key_index_and_the_all_imports_index() -> None:
    indexes = keys.import_indexes("seed/data.json", "2026-01-31T09:30:00.000Z", "imp-1")
    assert indexes == {
        "GSI1PK": "IMPORT_KEY#seed/data.json",
        "GSI1SK": "2026-01-31T09:30:00.000Z#imp-1",
        "GSI2PK": "IMPORTS",
        "GSI2SK": "2026-01-31T09:30:00.000Z#imp-1",
    }
    assert indexes[keys.GSI1_PK] == keys.imports_of_key_pk("seed/data.json")


def test_imports_sort_by_start_time_in_both_indexes() -> None:
    early = keys.import_indexes("k", "2026-01-31T09:30:00.000Z", "imp-z")
    late = keys.import_indexes("k", "2026-01-31T09:30:00.001Z", "imp-a")
    assert early[keys.GSI1_SK] < late[keys.GSI1_SK]
    assert early[keys.GSI2_SK] < late[keys.GSI2_SK]


def test_imports_of_an_s3_key_named_available_never_mix_with_available_advisors() -> None:
    imports = keys.import_indexes("AVAILABLE", "2026-01-31T09:30:00.000Z", "imp-1")
    assert imports[keys.GSI1_PK] != keys.availability_index("adv-001")[keys.GSI1_PK]


def test_advisor_and_import_listings_use_different_directory_partitions() -> None:
    imports = keys.import_indexes("k", "2026-01-31T09:30:00.000Z", "imp-1")
    assert imports[keys.GSI2_PK] != keys.advisor_directory_index("adv-001")[keys.GSI2_PK]


def test_key_attribute_and_index_names_match_the_template_table() -> None:
    table = template.table_definition("any")
    assert {(k["AttributeName"], k["KeyType"]) for k in table["KeySchema"]} == {
        (keys.PK, "HASH"),
        (keys.SK, "RANGE"),
    }
    indexes = {
        index["IndexName"]: {(k["AttributeName"], k["KeyType"]) for k in index["KeySchema"]}
        for index in table["GlobalSecondaryIndexes"]
    }
    assert indexes == {
        keys.GSI1: {(keys.GSI1_PK, "HASH"), (keys.GSI1_SK, "RANGE")},
        keys.GSI2: {(keys.GSI2_PK, "HASH"), (keys.GSI2_SK, "RANGE")},
    }
