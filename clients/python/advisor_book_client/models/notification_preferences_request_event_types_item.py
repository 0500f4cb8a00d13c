from enum import StrEnum

class NotificationPreferencesRequestEventTypesItem(StrEnum):
    CLIENT_ASSIGNED = "client.assigned"
    CLIENT_REASSIGNED = "client.reassigned"
    CLIENT_UNASSIGNED = "client.unassigned"

    def __str__(self) -> str:
        return str(self.value)
