from enum import StrEnum

class ActorRoleType0(StrEnum):
    ADMIN = "admin"
    ADVISOR = "advisor"

    def __str__(self) -> str:
        return str(self.value)
