from enum import StrEnum

class ErrorDetailCode(StrEnum):
    BAD_REQUEST = "bad_request"
    CONFLICT = "conflict"
    FORBIDDEN = "forbidden"
    INTERNAL_ERROR = "internal_error"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    NOT_FOUND = "not_found"
    PRECONDITION_FAILED = "precondition_failed"
    THROTTLED = "throttled"
    UNAUTHORIZED = "unauthorized"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    VALIDATION_ERROR = "validation_error"

    def __str__(self) -> str:
        return str(self.value)
