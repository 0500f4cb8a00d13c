"""Client reads: finding clients, GET /clients/{client_id}, its assignment history and advisor
suggestions.

Read-only: its role can Query the table and its indexes, nothing else.
"""

import advisor_book.coldstart as coldstart  # first: no garbage collection during init

from typing import Annotated, Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import StringConstraints

from advisor_book import clients, config, suggestions
from advisor_book.auth import ADMINS_ONLY, ADVISORS_TOO, READ
from advisor_book.conditional import ETAG_HEADER, etag
from advisor_book.http import (
    ClientId,
    NextToken,
    PageLimit,
    caller,
    create_app,
    documented,
    resolve,
)
from advisor_book.models import (
    ID_PATTERN,
    MAX_FOCUS_AREAS,
    AssignmentHistoryPage,
    ClientDetail,
    ClientPage,
)
from advisor_book.names import MAX_PREFIX, VISIBLE_TEXT
from advisor_book.store.book import BookStore
from advisor_book.store.directory import DirectoryStore
from advisor_book.suggestions import SuggestionPage

logger = Logger()
metrics = Metrics()
app = create_app(logger)
settings = config.Settings.from_environment()
table = config.table(settings)
book = BookStore(table)
directory = DirectoryStore(table)
cursors = config.cursor_codec(settings)


@app.operation(
    "GET",
    "/clients",
    access=ADVISORS_TOO.and_services(READ),
    tags=["Clients"],
    summary="Find clients",
    description="Clients in client id order (by name with name alone), each with its advisor "
    "and exact total: every client, or those of one advisor, or those without one; narrowed by "
    "a prefix of the first or last name, compared without case or accents. unassigned=true "
    "and advisor_id together are a 422. An advisor finds only their own clients (another "
    "advisor's book: 404; unassigned=true: 403).",
    responses=documented("A page of clients and the token for the next one.", 400),
)
def list_clients(
    unassigned: Annotated[
        bool, Query(description="Only clients without an advisor (not for advisors).")
    ] = False,
    advisor_id: Annotated[
        str | None,
        Query(
            pattern=ID_PATTERN,
            description="Only this advisor's clients (for an advisor: their own, the default).",
        ),
    ] = None,
    name: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=MAX_PREFIX,
            pattern=VISIBLE_TEXT,
            description="Only clients whose first or last name starts with this, compared "
            'without case or accents ("jose" finds "José"); no control or direction '
            "characters, and not only marks or spaces.",
        ),
    ] = None,
    limit: PageLimit = 25,
    next_token: NextToken = None,
) -> ClientPage:
    return clients.find_clients(
        book,
        cursors,
        caller(app),
        unassigned=unassigned,
        advisor_id=advisor_id,
        name=name,
        limit=limit,
        next_token=next_token,
    )


@app.operation(
    "GET",
    "/clients/<client_id>",
    access=ADVISORS_TOO.and_services(READ),
    tags=["Clients"],
    summary="Get a client",
    description="The client with its accounts, their exact total and its current advisor. "
    "Its ETag names the state of its assignment, for a conditional change with If-Match.",
    responses=documented("The client.", headers=ETAG_HEADER),
)
def get_client(client_id: ClientId) -> Response[ClientDetail]:
    detail, tag = clients.client_detail(book, caller(app), client_id)
    return Response(
        status_code=200,
        content_type=content_types.APPLICATION_JSON,
        body=detail,
        headers={"ETag": etag(tag)},
    )


@app.operation(
    "GET",
    "/clients/<client_id>/assignments",
    access=ADVISORS_TOO.and_services(READ),
    tags=["Clients"],
    summary="List a client's assignment history",
    description="Every assign, reassign and unassign of the client, newest first.",
    responses=documented("A page of the client's assignment history.", 400),
)
def list_assignment_history(
    client_id: ClientId, limit: PageLimit = 25, next_token: NextToken = None
) -> AssignmentHistoryPage:
    return clients.assignment_history(
        book, cursors, caller(app), client_id, limit=limit, next_token=next_token
    )


@app.operation(
    "GET",
    "/clients/<client_id>/advisor-suggestions",
    access=ADMINS_ONLY.and_services(READ),
    tags=["Clients"],
    summary="Suggest advisors for a client",
    description="Available advisors other than the client's own, best first: by how many of the "
    "requested focus areas they cover, then by how many more clients they can take (unlimited "
    "first), then by advisor id; each with the reason for its rank.",
    responses=documented("The best available advisors for the client."),
)
def suggest_advisors(
    client_id: ClientId,
    focus_area: Annotated[
        list[Annotated[str, StringConstraints(min_length=1, max_length=200)]] | None,
        Query(
            max_length=MAX_FOCUS_AREAS,
            description="A focus area the client needs (case-insensitive); repeat it for several "
            "(at most 20). Without one, advisors are ranked by capacity alone.",
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=25, description="How many advisors, 1 to 25.")] = 5,
) -> SuggestionPage:
    return suggestions.suggest_advisors(
        book, directory, client_id, focus_areas=focus_area or [], limit=limit
    )


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)


coldstart.ready()
