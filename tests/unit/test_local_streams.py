"""The local stream reader does what Lambda's stream mapping does: the template's filter,
partial batch failures, bisection, retries and the on-failure record."""

from dataclasses import replace
from typing import Any

import pytest

from local.harness import template
from local.stack.instances import InvocationError
from local.stack.streams import BatchDelivery, EventFilter

(PUBLISHER,) = template.stream_triggers()


def record(sequence: int, *, event_name: str = "INSERT", outbox: bool = True) -> dict[str, Any]:
    image: dict[str, Any] = {"PK": {"S": "CLIENT#c"}, "SK": {"S": f"HISTORY#{sequence}"}}
    if outbox:
        image["event_type"] = {"S": "client.assigned"}
    return {
        "eventName": event_name,
        "dynamodb": {"SequenceNumber": str(sequence), "NewImage": image},
    }


def test_the_publishers_mapping_is_read_from_the_template() -> None:
    assert PUBLISHER.function == "PublisherFunction"
    assert PUBLISHER.table == "BookTable"
    assert PUBLISHER.reports_item_failures
    assert PUBLISHER.bisect_on_error
    assert PUBLISHER.on_failure == "EventsDeadLetterQueue"
    assert PUBLISHER.max_retries >= 0


@pytest.mark.parametrize(
    ("candidate", "kept"),
    [
        (record(1), True),
        (record(1, event_name="MODIFY"), False),
        (record(1, event_name="REMOVE"), False),
        (record(1, outbox=False), False),
    ],
)
def test_the_templates_filter_keeps_only_inserted_outbox_records(
    candidate: dict[str, Any], kept: bool
) -> None:
    (pattern,) = PUBLISHER.filters

    assert EventFilter(pattern).matches(candidate) is kept


def test_exists_false_keeps_only_records_without_the_attribute() -> None:
    absent = EventFilter({"dynamodb": {"NewImage": {"event_type": [{"exists": False}]}}})

    assert absent.matches(record(1, outbox=False))
    assert not absent.matches(record(1))


@pytest.mark.parametrize(
    "pattern",
    [
        {"eventName": [{"prefix": "INS"}]},
        {"dynamodb": {"NewImage": {"n": {"N": [{"numeric": [">", 0]}]}}}},
        {"eventName": []},
        {"eventName": "INSERT"},
    ],
)
def test_a_pattern_the_reader_does_not_implement_is_refused(pattern: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="filter pattern"):
        EventFilter(pattern)


class Function:
    """A stand-in for the publisher: fails the records it is told to, a number of times."""

    def __init__(self, failing: dict[int, int] | None = None, crashes: int = 0) -> None:
        self.failing = dict(failing or {})  # sequence -> how many more times it fails
        self.crashes = crashes
        self.batches: list[list[int]] = []

    def __call__(self, event: dict[str, Any]) -> dict[str, Any]:
        sequences = [int(r["dynamodb"]["SequenceNumber"]) for r in event["Records"]]
        self.batches.append(sequences)
        if self.crashes:
            self.crashes -= 1
            raise InvocationError("RuntimeError", "crashed")
        failed = [s for s in sequences if self.failing.get(s, 0) > 0]
        for sequence in failed:
            self.failing[sequence] -= 1
        return {"batchItemFailures": [{"itemIdentifier": str(s)} for s in failed[:1]]}


def deliver(
    function: Function, batch: list[dict[str, Any]], **settings: Any
) -> list[dict[str, Any]]:
    given_up: list[dict[str, Any]] = []
    trigger = replace(PUBLISHER, **settings)
    BatchDelivery(trigger, "arn:stream", function, given_up.append).deliver(batch, "shard-1")
    return given_up


def test_a_reported_record_is_retried_with_those_after_it_and_none_before() -> None:
    function = Function(failing={2: 1})

    given_up = deliver(function, [record(1), record(2), record(3)])

    assert function.batches == [[1, 2, 3], [2, 3]]
    assert given_up == []


def test_an_identifier_not_in_the_batch_retries_the_whole_batch() -> None:
    answers = iter([{"batchItemFailures": [{"itemIdentifier": "999"}]}, {}])
    seen: list[int] = []

    def function(event: dict[str, Any]) -> Any:
        seen.append(len(event["Records"]))
        return next(answers)

    BatchDelivery(PUBLISHER, "arn:stream", function, lambda _: None).deliver([record(1), record(2)])

    assert seen == [2, 2]


def test_a_batch_still_failing_after_its_retries_goes_to_the_on_failure_queue() -> None:
    function = Function(failing={2: 100})

    (failure,) = deliver(function, [record(1), record(2), record(3)], max_retries=2)

    assert function.batches == [[1, 2, 3], [2, 3], [2, 3]]
    info = failure["DDBStreamBatchInfo"]
    assert (info["startSequenceNumber"], info["endSequenceNumber"]) == ("2", "3")
    assert (info["shardId"], info["batchSize"], info["streamArn"]) == ("shard-1", 2, "arn:stream")
    assert failure["requestContext"]["condition"] == "RetryAttemptsExhausted"


def test_a_function_error_bisects_the_batch() -> None:
    function = Function(crashes=1)

    assert deliver(function, [record(1), record(2), record(3), record(4)]) == []
    assert function.batches == [[1, 2, 3, 4], [1, 2], [3, 4]]


def test_without_bisection_a_function_error_retries_the_whole_batch() -> None:
    function = Function(crashes=1)

    deliver(function, [record(1), record(2)], bisect_on_error=False)

    assert function.batches == [[1, 2], [1, 2]]


def test_without_reported_failures_an_answer_is_success() -> None:
    function = Function(failing={1: 1})

    deliver(function, [record(1), record(2)], reports_item_failures=False)

    assert function.batches == [[1, 2]]
