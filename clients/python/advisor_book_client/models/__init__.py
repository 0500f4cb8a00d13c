""" Contains all the data models used in inputs/outputs """

from .account import Account
from .actor import Actor
from .actor_role_type_0 import ActorRoleType0
from .actor_type import ActorType
from .advisor_clients_page import AdvisorClientsPage
from .advisor_detail import AdvisorDetail
from .advisor_page import AdvisorPage
from .advisor_summary import AdvisorSummary
from .assign_advisor_request import AssignAdvisorRequest
from .assignment import Assignment
from .assignment_event import AssignmentEvent
from .assignment_history_page import AssignmentHistoryPage
from .client_detail import ClientDetail
from .client_page import ClientPage
from .client_summary import ClientSummary
from .error_body import ErrorBody
from .error_detail import ErrorDetail
from .error_detail_code import ErrorDetailCode
from .error_detail_details_type_0_item import ErrorDetailDetailsType0Item
from .found_client import FoundClient
from .health import Health
from .import_page import ImportPage
from .import_status import ImportStatus
from .import_status_status import ImportStatusStatus
from .notification_preferences import NotificationPreferences
from .notification_preferences_event_types_item import NotificationPreferencesEventTypesItem
from .notification_preferences_request import NotificationPreferencesRequest
from .notification_preferences_request_event_types_item import NotificationPreferencesRequestEventTypesItem
from .record_error import RecordError
from .suggestion import Suggestion
from .suggestion_page import SuggestionPage

__all__ = (
    "Account",
    "Actor",
    "ActorRoleType0",
    "ActorType",
    "AdvisorClientsPage",
    "AdvisorDetail",
    "AdvisorPage",
    "AdvisorSummary",
    "AssignAdvisorRequest",
    "Assignment",
    "AssignmentEvent",
    "AssignmentHistoryPage",
    "ClientDetail",
    "ClientPage",
    "ClientSummary",
    "ErrorBody",
    "ErrorDetail",
    "ErrorDetailCode",
    "ErrorDetailDetailsType0Item",
    "FoundClient",
    "Health",
    "ImportPage",
    "ImportStatus",
    "ImportStatusStatus",
    "NotificationPreferences",
    "NotificationPreferencesEventTypesItem",
    "NotificationPreferencesRequest",
    "NotificationPreferencesRequestEventTypesItem",
    "RecordError",
    "Suggestion",
    "SuggestionPage",
)
