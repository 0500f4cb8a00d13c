"""The map of the single DynamoDB table: every PK, SK and GSI value is built here.

Item types (PK / SK):

    ADVISOR#<advisor_id>  #PROFILE           advisor profile, client_count, total_assets
    ADVISOR#<advisor_id>  CLIENT#<client_id> membership: a copy of the client's name and
                                             totals, so one Query lists an advisor's book
    CLIENT#<client_id>    #PROFILE           client profile with its accounts embedded
    CLIENT#<client_id>    #ASSIGNMENT        the client's current advisor (none once unassigned),
                                             the version and time of its latest change, and what
                                             that advisor was credited (the copy's total and
                                             revision)
    CLIENT#<client_id>    HISTORY#<at>#<id>  one item per assign, reassign or unassign
    IMPORT#<import_id>    #STATUS            one seed-file import and its report

Singleton SKs start with "#", which sorts before every collection prefix, so a Query of
an advisor's partition returns the profile first and its clients after it, and a Query of a
client's partition newest first returns its history and then, past the oldest event, the
singletons that prove the client exists.

Overloaded global secondary indexes (both project all attributes):

    GSI1  AVAILABLE             / <advisor_id>          sparse: present only while the advisor
                                                        can take a new client
          IMPORT_KEY#<s3 key>   / <started_at>#<id>     the imports of one S3 key
    GSI2  ADVISORS              / <advisor_id>          every advisor, available or not
          IMPORTS               / <started_at>#<id>     every import, newest last
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
ASSIGNMENT: Final = "#ASSIGNMENT"
IMPORT_STATUS: Final = "#STATUS"
MEMBER_PREFIX: Final = "CLIENT#"
HISTORY_PREFIX: Final = "HISTORY#"
SINGLETON_PREFIX: Final = "#"

AVAILABLE: Final = "AVAILABLE"
ALL_ADVISORS: Final = "ADVISORS"
ALL_IMPORTS: Final = "IMPORTS"

Key = dict[str, str]


def advisor_pk(advisor_id: str) -> str:
    return f"ADVISOR#{advisor_id}"


def client_pk(client_id: str) -> str:
    return f"CLIENT#{client_id}"


def advisor_profile(advisor_id: str) -> Key:
    return {PK: advisor_pk(advisor_id), SK: PROFILE}


def membership(advisor_id: str, client_id: str) -> Key:
    return {PK: advisor_pk(advisor_id), SK: f"{MEMBER_PREFIX}{client_id}"}


def client_profile(client_id: str) -> Key:
    return {PK: client_pk(client_id), SK: PROFILE}


def client_assignment(client_id: str) -> Key:
    return {PK: client_pk(client_id), SK: ASSIGNMENT}


def history_event(client_id: str, at: str, event_id: str) -> Key:
    return {PK: client_pk(client_id), SK: f"{HISTORY_PREFIX}{at}#{event_id}"}


def import_status(import_id: str) -> Key:
    return {PK: f"IMPORT#{import_id}", SK: IMPORT_STATUS}


def availability_index(advisor_id: str) -> Key:
    """GSI1 attributes that list an advisor as available; removed when it fills up."""
    return {GSI1_PK: AVAILABLE, GSI1_SK: advisor_id}


def advisor_directory_index(advisor_id: str) -> Key:
    return {GSI2_PK: ALL_ADVISORS, GSI2_SK: advisor_id}


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
