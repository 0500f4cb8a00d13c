"""Import reports: GET /imports and GET /imports/{import_id}. Read-only."""

import advisor_book.coldstart as coldstart  # first: no garbage collection during init

from typing import Annotated, Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from advisor_book import config, imports
from advisor_book.auth import ADMINS_ONLY, IMPORT
from advisor_book.http import (
    ImportId,
    NextToken,
    PageLimit,
    caller,
    create_app,
    documented,
    resolve,
)
from advisor_book.import_reports import ImportPage, ImportStatus
from advisor_book.store.imports import ImportStore

logger = Logger()
metrics = Metrics()
app = create_app(logger)
settings = config.Settings.from_environment()
store = ImportStore(config.table(settings))
cursors = config.cursor_codec(settings)


@app.operation(
    "GET",
    "/imports",
    access=ADMINS_ONLY.and_services(IMPORT),
    tags=["Imports"],
    summary="List seed-file imports",
    description="Imports newest first: all of them, or those of one S3 key.",
    responses=documented("A page of imports.", 400),
)
def list_imports(
    key: Annotated[
        str | None, Query(min_length=1, max_length=1024, description="Only this S3 key.")
    ] = None,
    limit: PageLimit = 25,
    next_token: NextToken = None,
) -> ImportPage:
    return imports.list_imports(
        store, cursors, caller(app), key=key, limit=limit, next_token=next_token
    )


@app.operation(
    "GET",
    "/imports/<import_id>",
    access=ADMINS_ONLY.and_services(IMPORT),
    tags=["Imports"],
    summary="Get an import's report",
    description="Status, counts, progress and the first 100 rejected records of one import.",
    responses=documented("The import's report."),
)
def get_import(
    import_id: ImportId,
) -> ImportStatus:
    return imports.import_status(store, import_id)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)


coldstart.ready()
