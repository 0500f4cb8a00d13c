"""Who is calling, and what each role may do.

Each route declares who may call it (`Access`) where it is declared, in its function's module;
this module holds the rules those declarations name.

API Gateway's Cognito authorizer has already checked the token (signature, issuer, expiry)
and passes its claims in `requestContext.authorizer.claims`, every value a string. Lists lose
their shape there (a group named "ops,admin" would read as two groups), so the groups are read
from the token itself, in the Authorization header the authorizer verified, and must belong to
the same subject. Two groups grant a role, each matched by its exact name:

- admin: every route.
- advisor (with the custom attribute advisor_id): the routes declared `ADVISORS_TOO`, whose
  operations keep them to their own book: another advisor's book or client answers 404,
  exactly as an unknown one does, so ids cannot be probed. Every other route answers 403.

Services (an integrator's app client, client-credentials grant) send an access token instead:
`token_use` "access", its `client_id`, and the scopes it was granted in `scope`, space-separated
(`advisor-book/read`). A route says which one scope lets a service call it (`Access.service`);
a service is never an admin or an advisor, whatever else its token holds, and sees every book
its scope lets it read. A user's own access token carries none of these scopes: 403.

A request without claims never passed the authorizer: 401, here as at the gateway.
"""

import base64
import binascii
import json
from dataclasses import dataclass, replace
from typing import Any, Literal

from advisor_book.errors import ForbiddenError, NotAuthenticatedError

Role = Literal["admin", "advisor", "service"]
ADMIN: Role = "admin"
ADVISOR: Role = "advisor"
SERVICE: Role = "service"

# The template's resource server (CognitoResourceServer): its identifier prefixes each scope.
RESOURCE_SERVER = "advisor-book"
Scope = Literal["read", "assign", "import"]
READ: Scope = "read"  # the directory, the books, the clients and their histories
ASSIGN: Scope = "assign"  # assign and unassign clients
IMPORT: Scope = "import"  # follow seed-file imports
SCOPES: tuple[Scope, ...] = (READ, ASSIGN, IMPORT)


def scope_name(scope: Scope) -> str:
    """The scope as Cognito grants it and access tokens carry it."""
    return f"{RESOURCE_SERVER}/{scope}"


@dataclass(frozen=True)
class Access:
    """Who may call a route, declared with the route."""

    advisors: bool = False  # advisors too; the route's operation keeps them to their own book
    public: bool = False  # anyone, signed in or not
    service: Scope | None = None  # the scope that lets a service call it; None: no service

    def and_services(self, scope: Scope) -> "Access":
        """The same access, and services granted `scope` too."""
        return replace(self, service=scope)

    def describe(self) -> str:
        """For the OpenAPI document: who may call."""
        if self.public:
            return "anyone"
        people = "admins and advisors (their own book)" if self.advisors else "admins"
        if self.service is None:
            return people
        return f"{people}; services with the scope {scope_name(self.service)}"


ADMINS_ONLY = Access()
ADVISORS_TOO = Access(advisors=True)
PUBLIC = Access(public=True)


@dataclass(frozen=True)
class Caller:
    """The signed-in user, or the service, behind a request."""

    subject: str
    role: Role
    advisor_id: str | None = None
    scopes: frozenset[Scope] = frozenset()

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    @property
    def sees_every_book(self) -> bool:
        """An admin, or a service (authorized for the route by its scope)."""
        return self.role in (ADMIN, SERVICE)

    def sees_book_of(self, advisor_id: str | None) -> bool:
        """May this caller see the clients of `advisor_id` (None: clients without advisor)?"""
        return self.sees_every_book or (advisor_id is not None and advisor_id == self.advisor_id)


def _verified_token(event: dict[str, Any]) -> dict[str, Any] | None:
    """The claims of the token in the Authorization header, which the authorizer verified (its
    signature is not checked again here); None when there is no readable token."""
    headers = event.get("headers") or {}
    value = next((v for k, v in headers.items() if str(k).lower() == "authorization"), None)
    if not isinstance(value, str):
        return None
    parts = value.removeprefix("Bearer ").strip().split(".")
    if len(parts) != 3:
        return None
    try:
        payload = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
        claims = json.loads(payload)
    except (binascii.Error, ValueError, RecursionError):
        return None
    return claims if isinstance(claims, dict) else None


def _groups(token: dict[str, Any]) -> frozenset[str]:
    groups = token.get("cognito:groups")
    if not isinstance(groups, list):
        return frozenset()
    return frozenset(group for group in groups if isinstance(group, str))


def _scopes(token: dict[str, Any]) -> frozenset[Scope]:
    granted = token.get("scope")
    names = set(granted.split()) if isinstance(granted, str) else set()
    return frozenset(scope for scope in SCOPES if scope_name(scope) in names)


def caller_of(event: dict[str, Any]) -> Caller:
    """The caller of an API Gateway event; NotAuthenticatedError without token claims, and
    ForbiddenError for a user in neither group (or an advisor without an advisor_id)."""
    authorizer = (event.get("requestContext") or {}).get("authorizer") or {}
    claims = authorizer.get("claims")
    token = _verified_token(event)
    if (
        not isinstance(claims, dict)
        or not claims.get("sub")
        or token is None
        or token.get("sub") != claims["sub"]
        or token.get("token_use") != claims.get("token_use")
    ):
        raise NotAuthenticatedError(
            "sign in: send a valid ID token or access token in the Authorization header"
        )
    subject = str(claims["sub"])
    if token.get("token_use") == "access":
        client_id = token.get("client_id")
        if not isinstance(client_id, str) or client_id != claims.get("client_id"):
            raise NotAuthenticatedError("the access token names no app client")
        return Caller(client_id, SERVICE, scopes=_scopes(token))
    groups = _groups(token)
    if ADMIN in groups:
        return Caller(subject, ADMIN)
    advisor_id = token.get("custom:advisor_id")
    if ADVISOR in groups and isinstance(advisor_id, str) and advisor_id:
        return Caller(subject, ADVISOR, advisor_id)
    raise ForbiddenError("your user has no role in this API")


def authorize(event: dict[str, Any], access: Access) -> Caller | None:
    """The caller of an API event, if `access` lets them call its route (None on a public
    route); NotAuthenticatedError or ForbiddenError otherwise."""
    if access.public:
        return None
    caller = caller_of(event)
    if caller.role == SERVICE:
        if access.service is not None and access.service in caller.scopes:
            return caller
        if access.service is None:
            raise ForbiddenError("this operation is for people, not services")
        raise ForbiddenError(f"this operation needs the scope {scope_name(access.service)}")
    if caller.is_admin or access.advisors:
        return caller
    raise ForbiddenError("this operation is for administrators")
