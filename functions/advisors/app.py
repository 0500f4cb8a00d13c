"""Advisor directory: GET /advisors, GET /advisors/{advisor_id}, GET /advisors/{advisor_id}/clients.

Read-only: its role can Query and GetItem on the table, nothing else.
"""

import advisor_book.coldstart as coldstart  # first: no garbage collection during init

from typing import Annotated, Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from advisor_book import advisors, config
from advisor_book.http import NextToken, PageLimit, caller, create_app, documented, resolve
from advisor_book.models import ID_PATTERN, AdvisorClientsPage, AdvisorDetail, AdvisorPage

logger = Logger()
metrics = Metrics()
app = create_app(logger)
settings = config.Settings.from_environment()
repo = config.repository(settings)
cursors = config.cursor_codec(settings)

AdvisorId = Annotated[str, Path(pattern=ID_PATTERN, description="The advisor's id.")]


@app.get(
    "/advisors",
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
        repo,
        cursors,
        caller(app),
        focus_area=focus_area,
        include_unavailable=include_unavailable,
        limit=limit,
        next_token=next_token,
    )


@app.get(
    "/advisors/<advisor_id>",
    tags=["Advisors"],
    summary="Get an advisor",
    description="The advisor with its client count and the exact total assets of its clients.",
    responses=documented("The advisor."),
)
def get_advisor(advisor_id: AdvisorId) -> AdvisorDetail:
    return advisors.advisor_detail(repo, advisor_id)


@app.get(
    "/advisors/<advisor_id>/clients",
    tags=["Advisors"],
    summary="List an advisor's clients",
    description="The advisor's clients in client id order, each with its total account value.",
    responses=documented("A page of the advisor's clients.", 400),
)
def list_advisor_clients(
    advisor_id: AdvisorId, limit: PageLimit = 25, next_token: NextToken = None
) -> AdvisorClientsPage:
    return advisors.advisor_clients(
        repo, cursors, caller(app), advisor_id, limit=limit, next_token=next_token
    )


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)


coldstart.ready()
