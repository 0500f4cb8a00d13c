"""Assignments: PUT and DELETE /clients/{client_id}/advisor.

The only API function that writes, and only through the assignment transaction.
"""

import advisor_book.coldstart as coldstart  # first: no garbage collection during init

from typing import Annotated, Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from advisor_book import assignments, config
from advisor_book.assignments import Precondition
from advisor_book.auth import ADMINS_ONLY, ASSIGN
from advisor_book.conditional import ETAG_HEADER, IfMatch, etag, if_match_tags
from advisor_book.events import actor_of
from advisor_book.http import (
    ClientId,
    caller,
    create_app,
    documented,
    resolve,
)
from advisor_book.models import AssignAdvisorRequest, Assignment
from advisor_book.store.assignment import AssignmentStore

logger = Logger()
metrics = Metrics()
app = create_app(logger)
store = AssignmentStore(config.table(config.Settings.from_environment()))


@app.operation(
    "PUT",
    "/clients/<client_id>/advisor",
    access=ADMINS_ONLY.and_services(ASSIGN),
    tags=["Assignments"],
    summary="Assign or reassign a client's advisor",
    description="Gives the client this advisor, moving it from its previous advisor if any. "
    "Repeating an assignment that already holds is a 200 that changes nothing. With If-Match "
    "or expected_advisor_id, only if the client's assignment is still the one expected.",
    responses=documented(
        "The assignment, new or already in place.", 409, 412, 415, headers=ETAG_HEADER
    ),
)
def assign_advisor(
    client_id: ClientId,
    body: Annotated[AssignAdvisorRequest, Body()],
    if_match: IfMatch = None,
) -> Response[Assignment]:
    tags, has_advisor = if_match_tags(if_match)
    precondition = Precondition(
        tags=tags,
        has_advisor=has_advisor,
        expects_advisor=body.expects_advisor,
        advisor_id=body.expected_advisor_id,
    )
    assignment, tag = assignments.assign(
        store, client_id, body.advisor_id, precondition, actor=actor_of(caller(app))
    )
    metrics.add_metric(name="AdvisorAssigned", unit=MetricUnit.Count, value=1)
    return Response(
        status_code=200,
        content_type=content_types.APPLICATION_JSON,
        body=assignment,
        headers={"ETag": etag(tag)},
    )


@app.operation(
    "DELETE",
    "/clients/<client_id>/advisor",
    access=ADMINS_ONLY.and_services(ASSIGN),
    tags=["Assignments"],
    summary="Remove a client's advisor",
    description="Leaves the client without an advisor; a client that has none is left as it "
    "is. With If-Match, only if the client's assignment is still the one expected.",
    responses=documented("The client has no advisor.", 409, 412, status=204, headers=ETAG_HEADER),
)
def unassign_advisor(client_id: ClientId, if_match: IfMatch = None) -> Response[None]:
    tags, has_advisor = if_match_tags(if_match)
    precondition = Precondition(tags=tags, has_advisor=has_advisor)
    tag = assignments.unassign(store, client_id, precondition, actor=actor_of(caller(app)))
    metrics.add_metric(name="AdvisorUnassigned", unit=MetricUnit.Count, value=1)
    return Response(status_code=204, headers={"ETag": etag(tag)})


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)


coldstart.ready()
