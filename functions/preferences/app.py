"""Advisors' notification preferences: GET and PUT /advisors/{advisor_id}/notification-preferences.

Apart from the directory's read-only function because it writes: its role can read an
advisor's singletons and put the preferences item, nothing else, in advisor partitions only.
"""

import advisor_book.coldstart as coldstart  # first: no garbage collection during init

from typing import Annotated, Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from advisor_book import config, preferences
from advisor_book.auth import ADVISORS_TOO
from advisor_book.http import AdvisorId, caller, create_app, documented, resolve
from advisor_book.models import utc_now
from advisor_book.preferences import NotificationPreferences, NotificationPreferencesRequest
from advisor_book.store.preferences import PreferencesStore

logger = Logger()
metrics = Metrics()
app = create_app(logger)
store = PreferencesStore(config.table(config.Settings.from_environment()))


@app.operation(
    "GET",
    "/advisors/<advisor_id>/notification-preferences",
    access=ADVISORS_TOO,
    tags=["Advisors"],
    summary="Get an advisor's notification preferences",
    description="Where the advisor is notified (email, SMS) and of which changes to their "
    "book. An advisor who never set them has none. Advisors read their own; not services.",
    responses=documented("The advisor's notification preferences."),
)
def get_notification_preferences(advisor_id: AdvisorId) -> NotificationPreferences:
    return preferences.preferences_of(store, caller(app), advisor_id)


@app.operation(
    "PUT",
    "/advisors/<advisor_id>/notification-preferences",
    access=ADVISORS_TOO,
    tags=["Advisors"],
    summary="Replace an advisor's notification preferences",
    description="Replaces all of them: a field the body leaves out is cleared. Advisors "
    "change their own; not services.",
    responses=documented("The advisor's notification preferences, as stored.", 415),
)
def put_notification_preferences(
    advisor_id: AdvisorId, body: Annotated[NotificationPreferencesRequest, Body()]
) -> NotificationPreferences:
    return preferences.replace_preferences(store, caller(app), advisor_id, body, utc_now())


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)


coldstart.ready()
