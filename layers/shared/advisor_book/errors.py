"""Domain errors, which the shared HTTP layer maps each to a status (handlers never catch them),
and the one signal that is not an answer to anybody: a stale read."""


class StaleReadError(Exception):
    """The data changed between a read and the write decided on it: read again and decide again.

    A retry signal inside the domain, never an answer to a caller (a change still contended
    after its retries becomes a ConflictError). `failed` names the transaction's items whose
    condition failed, so a wrong guess about one item can be told from a concurrent change.
    """

    def __init__(self, failed: frozenset[str]) -> None:
        super().__init__(f"conditions failed: {', '.join(sorted(failed))}")
        self.failed = failed


class DomainError(Exception):
    """Base of every error the API turns into a 4xx with the contract's error body."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFoundError(DomainError):
    """The named advisor, client or import does not exist (404)."""


class AdvisorUnavailableError(DomainError):
    """The advisor is full or not accepting new clients (409)."""


class ConflictError(DomainError):
    """Concurrent writes kept the operation from committing after its retries (409)."""


class PreconditionFailedError(DomainError):
    """The client's assignment is no longer the one the caller expected (If-Match or
    expected_advisor_id): it changed since the caller read it (412)."""


class BadCursorError(DomainError):
    """A next_token that was altered, or minted for another listing or caller (400)."""


class NotAuthenticatedError(DomainError):
    """The request carries no verified identity (401)."""


class ForbiddenError(DomainError):
    """The caller's role may not perform the operation (403)."""


class UnsupportedMediaTypeError(DomainError):
    """A body that is not application/json (415)."""


class InvalidRequestError(DomainError):
    """A request the checks of its declared parameters and body let through, yet not valid
    (422), with `details` as Powertools' validation errors give them."""

    def __init__(self, location: list[str], problem: str, kind: str) -> None:
        super().__init__("the request is not valid")
        self.details = [{"location": location, "message": problem, "type": kind}]


class InvalidBodyError(InvalidRequestError):
    """A body that is not a JSON object, or that cannot be parsed as one (422)."""

    def __init__(self, problem: str, kind: str) -> None:
        super().__init__(["body"], problem, kind)


class InvalidQueryError(InvalidRequestError):
    """A query parameter, or a combination of them, that the operation cannot answer (422)."""

    def __init__(self, problem: str, parameter: str) -> None:
        super().__init__(["query", parameter], problem, "value_error")
