"""Advisor directory: GET /advisors, GET /advisors/{advisor_id}, GET /advisors/{advisor_id}/clients.

Read-only: its role can Query and GetItem on the table, nothing else.
"""

import advisor_book.coldstart as coldstart  # first: no garbage collection during init

from typing import Annotated, Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from advisor_book import advisors, config
from advisor_book.auth import ADVISORS_TOO, READ
from advisor_book.http import (
    AdvisorId,
    NextToken,
    PageLimit,
    caller,
    create_app,
    documented,
    resolve,
)
from advisor_book.models import AdvisorClientsPage, AdvisorDetail, AdvisorPage
from advisor_book.store.book import BookStore
from advisor_book.store.directory import DirectoryStore

logger = Logger()
metrics = Metrics()
app = create_app(logger)
settings = config.Settings.from_environment()
table = config.table(settings)
directory = DirectoryStore(table)
book = BookStore(table)
cursors = config.cursor_codec(settings)


@app.operation(
    "GET",
    "/advisors",
    access=ADVISORS_TOO.and_services(READ),
    tags=["Advisors"],
    summary="List available advisors",
    description="Advisors who accept new clients and are below capacity, in advisor id order; "
    "with include_unavailable=true, every advisor.",
    responses=documented("A page of advisors and the token for the next one.", 400),
)
def list_advisors(
    focus_area: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=200,
            description="Only advisors with this focus area (case-insensitive).",
        ),
    ] = None,
    include_unavailable: Annotated[
        bool, Query(description="Also list advisors who are full or not accepting clients.")
    ] = False,
    limit: PageLimit = 25,
    next_token: NextToken = None,
) -> AdvisorPage:
    return advisors.list_advisors(
        directory,
        cursors,
        caller(app),
        focus_area=focus_area,
        include_unavailable=include_unavailable,
        limit=limit,
        next_token=next_token,
    )


@app.operation(
    "GET",
    "/advisors/<advisor_id>",
    access=ADVISORS_TOO.and_services(READ),
    tags=["Advisors"],
    summary="Get an advisor",
    description="The advisor with its client count and the exact total assets of its clients.",
    responses=documented("The advisor."),
)
def get_advisor(advisor_id: AdvisorId) -> AdvisorDetail:
    return advisors.advisor_detail(directory, advisor_id)


@app.operation(
    "GET",
    "/advisors/<advisor_id>/clients",
    access=ADVISORS_TOO.and_services(READ),
    tags=["Advisors"],
    summary="List an advisor's clients",
    description="The advisor's clients in client id order, each with its total account value.",
    responses=documented("A page of the advisor's clients.", 400),
)
def list_advisor_clients(
    advisor_id: AdvisorId, limit: PageLimit = 25, next_token: NextToken = None
) -> AdvisorClientsPage:
    return advisors.advisor_clients(
        book, cursors, caller(app), advisor_id, limit=limit, next_token=next_token
    )


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)


coldstart.ready()
