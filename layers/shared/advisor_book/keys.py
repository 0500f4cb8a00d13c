"""The map of the single DynamoDB table: every PK, SK and GSI value is built here.

Item types (PK / SK):

    ADVISOR#<advisor_id>  #NOTIFY            the advisor's notification preferences (channels
                                             and event types), only once the advisor set them
    ADVISOR#<advisor_id>  #PROFILE           advisor profile, client_count, total_assets
    ADVISOR#<advisor_id>  CLIENT#<client_id> membership: a copy of the client's name and
                                             totals, so one Query lists an advisor's book
    CLIENT#<client_id>    #PROFILE           client profile with its accounts embedded, and a
                                             copy of its advisor's id (none while unassigned)
    CLIENT#<client_id>    #NAME#FIRST        the client in the name index, by first name and
    CLIENT#<client_id>    #NAME#LAST         by last name: a copy of its names, total and advisor
    CLIENT#<client_id>    #ASSIGNMENT        the client's current advisor (none once unassigned),
                                             the version and time of its latest change, and what
                                             that advisor was credited (the copy's total and
                                             revision)
    CLIENT#<client_id>    HISTORY#<at>#<id>  one item per assign, reassign or unassign; also
                                             the outbox record of its change event
    IMPORT#<import_id>    #STATUS            one seed-file import and its report
    IMPORT#<import_id>    #EVENT#FINISHED    the outbox record of the import's end, written
                                             with its outcome

Outbox records are the items that carry `EVENT_TYPE` (with the other attributes of
`events.ChangeEvent`): their insertion in the table's stream is what the publisher publishes
(template.yaml filters the stream on it).

Singleton SKs start with "#", which sorts before every collection prefix, so a Query of
an advisor's book (from #PROFILE on: #NOTIFY sorts before it) returns the profile first and its
clients after it, one Query of the advisor's singletons reads the preferences with the profile
that proves the advisor exists, and a Query of a client's partition newest first returns its
history and then, past the oldest event, the singletons that prove the client exists.

Overloaded global secondary indexes (both project all attributes):

    GSI1  AVAILABLE             / <advisor_id>          sparse: present only while the advisor
                                                        can take a new client
          IMPORT_KEY#<s3 key>   / <started_at>#<id>     the imports of one S3 key
          UNASSIGNED            / <client_id>           sparse, on the client profile: present
                                                        only while the client has no advisor
          NAME#<c>              / <name>#<client_id>    on the #NAME# items: the normal form of
                                                        the name (`names.normalized`), bucketed
                                                        by its first character <c>
    GSI2  ADVISORS              / <advisor_id>          every advisor, available or not
          IMPORTS               / <started_at>#<id>     every import, newest last
          CLIENTS               / <client_id>           every client, on its profile
"""

from typing import Final

PK: Final = "PK"
SK: Final = "SK"
GSI1: Final = "GSI1"
GSI1_PK: Final = "GSI1PK"
GSI1_SK: Final = "GSI1SK"
GSI2: Final = "GSI2"
GSI2_PK: Final = "GSI2PK"
GSI2_SK: Final = "GSI2SK"

PROFILE: Final = "#PROFILE"
NOTIFY: Final = "#NOTIFY"
ASSIGNMENT: Final = "#ASSIGNMENT"
IMPORT_STATUS: Final = "#STATUS"
IMPORT_FINISHED_EVENT: Final = "#EVENT#FINISHED"
# The attribute that makes an item an outbox record; the stream filter matches on it.
EVENT_TYPE: Final = "event_type"
MEMBER_PREFIX: Final = "CLIENT#"
HISTORY_PREFIX: Final = "HISTORY#"
NAME_PREFIX: Final = "#NAME#"
FIRST: Final = "FIRST"
LAST: Final = "LAST"
SINGLETON_PREFIX: Final = "#"

AVAILABLE: Final = "AVAILABLE"
ALL_ADVISORS: Final = "ADVISORS"
ALL_IMPORTS: Final = "IMPORTS"
ALL_CLIENTS: Final = "CLIENTS"
UNASSIGNED: Final = "UNASSIGNED"

Key = dict[str, str]


def advisor_pk(advisor_id: str) -> str:
    return f"ADVISOR#{advisor_id}"


def client_pk(client_id: str) -> str:
    return f"CLIENT#{client_id}"


def advisor_profile(advisor_id: str) -> Key:
    return {PK: advisor_pk(advisor_id), SK: PROFILE}


def notification_preferences(advisor_id: str) -> Key:
    return {PK: advisor_pk(advisor_id), SK: NOTIFY}


def membership(advisor_id: str, client_id: str) -> Key:
    return {PK: advisor_pk(advisor_id), SK: f"{MEMBER_PREFIX}{client_id}"}


def client_profile(client_id: str) -> Key:
    return {PK: client_pk(client_id), SK: PROFILE}


def client_assignment(client_id: str) -> Key:
    return {PK: client_pk(client_id), SK: ASSIGNMENT}


def name_entry(client_id: str, part: str) -> Key:
    """The client's entry in the name index by its FIRST or LAST name."""
    return {PK: client_pk(client_id), SK: f"{NAME_PREFIX}{part}"}


def history_event(client_id: str, at: str, event_id: str) -> Key:
    return {PK: client_pk(client_id), SK: f"{HISTORY_PREFIX}{at}#{event_id}"}


def import_status(import_id: str) -> Key:
    return {PK: f"IMPORT#{import_id}", SK: IMPORT_STATUS}


def import_finished_event(import_id: str) -> Key:
    return {PK: f"IMPORT#{import_id}", SK: IMPORT_FINISHED_EVENT}


def availability_index(advisor_id: str) -> Key:
    """GSI1 attributes that list an advisor as available; removed when it fills up."""
    return {GSI1_PK: AVAILABLE, GSI1_SK: advisor_id}


def advisor_directory_index(advisor_id: str) -> Key:
    return {GSI2_PK: ALL_ADVISORS, GSI2_SK: advisor_id}


def client_directory_index(client_id: str) -> Key:
    return {GSI2_PK: ALL_CLIENTS, GSI2_SK: client_id}


def unassigned_index(client_id: str) -> Key:
    """GSI1 attributes that list a client as unassigned; removed when it gets an advisor."""
    return {GSI1_PK: UNASSIGNED, GSI1_SK: client_id}


def name_bucket(name: str) -> str:
    """The GSI1 partition of the names that start with the first character of `name` (a
    normal form)."""
    return f"NAME#{name[:1]}"


def name_index(name: str, client_id: str) -> Key:
    """GSI1 attributes of a name entry: `name` is the normal form of the client's name."""
    return {GSI1_PK: name_bucket(name), GSI1_SK: f"{name}#{client_id}"}


def import_indexes(key: str, started_at: str, import_id: str) -> Key:
    order = f"{started_at}#{import_id}"
    return {
        GSI1_PK: f"IMPORT_KEY#{key}",
        GSI1_SK: order,
        GSI2_PK: ALL_IMPORTS,
        GSI2_SK: order,
    }


def imports_of_key_pk(key: str) -> str:
    return f"IMPORT_KEY#{key}"
