"""The settings every function reads from its environment."""

import pytest
from pydantic import ValidationError

from advisor_book.config import Settings

QUEUE_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/IngestContinuationQueue"


@pytest.mark.parametrize(
    "variable", ["continuation_queue_url", "failures_queue_url", "dead_letter_queue_url"]
)
def test_a_queue_named_where_its_url_is_needed_is_refused_at_once(variable: str) -> None:
    with pytest.raises(ValidationError, match="is not a queue URL; under sam local invoke"):
        Settings.model_validate({"table_name": "BookTable", variable: "IngestContinuationQueue"})


def test_queue_urls_are_taken_as_they_are() -> None:
    settings = Settings(table_name="BookTable", continuation_queue_url=QUEUE_URL)

    assert settings.continuation_queue_url == QUEUE_URL
    assert settings.failures_queue_url is None
