"""Client reads: GET /clients/{client_id}. Read-only: Query on the table, nothing else."""

from typing import Annotated, Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from advisor_book import clients, config
from advisor_book.http import ERROR_RESPONSES, create_app
from advisor_book.models import ID_PATTERN, ClientDetail

logger = Logger()
metrics = Metrics()
app = create_app(logger)
repo = config.repository(config.Settings.from_environment())


@app.get(
    "/clients/<client_id>", tags=["Clients"], summary="Get a client", responses=ERROR_RESPONSES
)
def get_client(
    client_id: Annotated[str, Path(pattern=ID_PATTERN, description="The client's id.")],
) -> ClientDetail:
    return clients.client_detail(repo, client_id)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
