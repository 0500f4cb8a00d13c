"""Who is calling, and what each role may do.

Each route declares who may call it (`Access`) where it is declared, in its function's module;
this module holds the rules those declarations name.

The API's Lambda authorizer (functions/authorizer, advisor_book.tokens) has already verified
the caller's token: a person's Cognito ID token or a service's access token. It passes what it
verified in `requestContext.authorizer` as `authorizer_context` below shapes it, every value a
string (the groups a JSON array, so a group named "ops,admin" stays one group). It is the only
writer of that context, and this module its only reader. Two groups grant a role, each matched
by its exact name:

- admin: every route.
- advisor (with the custom attribute advisor_id): the routes declared `ADVISORS_TOO`, whose
  operations keep them to their own book: another advisor's book or client answers 404,
  exactly as an unknown one does, so ids cannot be probed. Every other route answers 403.

Services (an integrator's app client, client-credentials grant) send an access token instead:
`token_use` "access", its app client, and the scopes it was granted (`advisor-book/read`). A
route says which one scope lets a service call it (`Access.service`); a service is never an
admin or an advisor, whatever else its token holds, and sees every book its scope lets it read.

A request without that context never passed the authorizer: 401, here as at the gateway.
"""

import json
from collections.abc import Mapping
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

    def acts_for(self, advisor_id: str) -> bool:
        """May this caller read and change what belongs to the advisor as a person (their
        notification preferences)? An admin, or that advisor; never a service."""
        return self.is_admin or (self.role == ADVISOR and advisor_id == self.advisor_id)


ID_TOKEN = "id"  # noqa: S105 (a token_use: a person's, from the people's app client)
ACCESS_TOKEN = "access"  # noqa: S105 (a token_use: a service's, client-credentials grant)


def authorizer_context(claims: Mapping[str, Any]) -> dict[str, str]:
    """What the authorizer passes on from a verified token's claims, as API Gateway carries it
    to the functions (`requestContext.authorizer`): flat, every value a string. A service's
    context never holds groups or an advisor id, whatever its token carries."""
    token_use = str(claims.get("token_use", ""))
    service = token_use == ACCESS_TOKEN
    groups = claims.get("cognito:groups")
    advisor_id = claims.get("custom:advisor_id")
    return {
        "subject": str(claims.get("sub", "")),
        "token_use": token_use,
        "client_id": str(claims.get("client_id" if service else "aud", "")),
        "groups": json.dumps(
            []
            if service or not isinstance(groups, list)
            else [g for g in groups if isinstance(g, str)]
        ),
        "advisor_id": advisor_id if not service and isinstance(advisor_id, str) else "",
        "scopes": str(claims.get("scope", "")) if service else "",
    }


def _groups(context: Mapping[str, Any]) -> frozenset[str]:
    try:
        groups = json.loads(context.get("groups") or "[]")
    except (TypeError, ValueError, RecursionError):
        return frozenset()
    if not isinstance(groups, list):
        return frozenset()
    return frozenset(group for group in groups if isinstance(group, str))


def _scopes(context: Mapping[str, Any]) -> frozenset[Scope]:
    granted = context.get("scopes")
    names = set(granted.split()) if isinstance(granted, str) else set()
    return frozenset(scope for scope in SCOPES if scope_name(scope) in names)


def caller_of(event: dict[str, Any]) -> Caller:
    """The caller of an API Gateway event, from the context the authorizer passed on;
    NotAuthenticatedError without one, and ForbiddenError for a user in neither group (or an
    advisor without an advisor_id)."""
    context = (event.get("requestContext") or {}).get("authorizer") or {}
    subject = context.get("subject") if isinstance(context, dict) else None
    if not isinstance(subject, str) or not subject:
        raise NotAuthenticatedError(
            "sign in: send a valid ID token or access token in the Authorization header"
        )
    token_use = context.get("token_use")
    if token_use == ACCESS_TOKEN:
        client_id = context.get("client_id")
        if not isinstance(client_id, str) or not client_id:
            raise NotAuthenticatedError("the access token names no app client")
        return Caller(client_id, SERVICE, scopes=_scopes(context))
    if token_use != ID_TOKEN:
        raise NotAuthenticatedError(
            "sign in: send a valid ID token or access token in the Authorization header"
        )
    groups = _groups(context)
    if ADMIN in groups:
        return Caller(subject, ADMIN)
    advisor_id = context.get("advisor_id")
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
