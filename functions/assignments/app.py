"""Assignments: PUT and DELETE /clients/{client_id}/advisor.

The only API function that writes, and only through the assignment transaction.
"""

import advisor_book.coldstart as coldstart  # first: no garbage collection during init

from typing import Annotated, Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from advisor_book import assignments, config
from advisor_book.auth import ADMINS_ONLY, ASSIGN
from advisor_book.http import ClientId, create_app, documented, resolve
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
    "Repeating an assignment that already holds is a 200 that changes nothing.",
    responses=documented("The assignment, new or already in place.", 409, 415),
)
def assign_advisor(
    client_id: ClientId, body: Annotated[AssignAdvisorRequest, Body()]
) -> Assignment:
    assignment = assignments.assign(store, client_id, body.advisor_id)
    metrics.add_metric(name="AdvisorAssigned", unit=MetricUnit.Count, value=1)
    return assignment


@app.operation(
    "DELETE",
    "/clients/<client_id>/advisor",
    access=ADMINS_ONLY.and_services(ASSIGN),
    tags=["Assignments"],
    summary="Remove a client's advisor",
    description="Leaves the client without an advisor; a client that has none is left as it is.",
    responses=documented("The client has no advisor.", 409, status=204),
)
def unassign_advisor(client_id: ClientId) -> Response[None]:
    assignments.unassign(store, client_id)
    metrics.add_metric(name="AdvisorUnassigned", unit=MetricUnit.Count, value=1)
    return Response(status_code=204)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)


coldstart.ready()
