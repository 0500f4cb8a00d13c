"""Domain errors. Handlers never catch them: the shared HTTP layer maps each to a status."""


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


class BadCursorError(DomainError):
    """A next_token that was altered, or minted for another listing or caller (400)."""


class NotAuthenticatedError(DomainError):
    """The request carries no verified identity (401)."""


class ForbiddenError(DomainError):
    """The caller's role may not perform the operation (403)."""
