"""Client reads: GET /clients/{client_id} and GET /clients/{client_id}/assignments.

Read-only: its role can Query the table, nothing else.
"""

import advisor_book.coldstart as coldstart  # first: no garbage collection during init

from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from advisor_book import clients, config
from advisor_book.auth import ADVISORS_TOO, READ
from advisor_book.http import (
    ClientId,
    NextToken,
    PageLimit,
    caller,
    create_app,
    documented,
    resolve,
)
from advisor_book.models import AssignmentHistoryPage, ClientDetail
from advisor_book.store.book import BookStore

logger = Logger()
metrics = Metrics()
app = create_app(logger)
settings = config.Settings.from_environment()
book = BookStore(config.table(settings))
cursors = config.cursor_codec(settings)


@app.operation(
    "GET",
    "/clients/<client_id>",
    access=ADVISORS_TOO.and_services(READ),
    tags=["Clients"],
    summary="Get a client",
    description="The client with its accounts, their exact total and its current advisor.",
    responses=documented("The client."),
)
def get_client(client_id: ClientId) -> ClientDetail:
    return clients.client_detail(book, caller(app), client_id)


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


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)


coldstart.ready()
