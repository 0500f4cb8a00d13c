from enum import StrEnum

class ActorType(StrEnum):
    IMPORT = "import"
    SERVICE = "service"
    USER = "user"

    def __str__(self) -> str:
        return str(self.value)
