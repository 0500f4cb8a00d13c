"""How `make invoke` reports an invocation: what it prints, and when it fails."""

import json

import pytest

from local.invoke.cli import report
from local.invoke.execution import Outcome

ERROR_BODY = json.dumps({"error": {"code": "internal_error", "message": "request id r-1"}})


def api_outcome(status: int, body: str = "", denials: tuple[str, ...] = ()) -> Outcome:
    response = {"statusCode": status, "headers": {"Content-Type": "application/json"}}
    return Outcome("AdvisorsFunction", "r-1", response={**response, "body": body}, denials=denials)


def test_an_api_response_is_printed_as_status_headers_and_pretty_body(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert report(api_outcome(200, '{"items": [], "next_token": null}')) == 0

    printed = capsys.readouterr()
    assert printed.out.splitlines()[:3] == ["HTTP 200", "Content-Type: application/json", ""]
    assert json.loads(printed.out.split("\n\n", 1)[1]) == {"items": [], "next_token": None}
    assert "REPORT RequestId: r-1" in printed.err


def test_a_client_error_is_an_answer(capsys: pytest.CaptureFixture[str]) -> None:
    assert report(api_outcome(404, ERROR_BODY)) == 0


@pytest.mark.parametrize("status", [500, 502])
def test_a_server_error_fails(status: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert report(api_outcome(status, ERROR_BODY)) == 1

    assert f"error: the function answered {status}" in capsys.readouterr().err


def test_a_refused_call_fails_even_when_the_function_answered(
    capsys: pytest.CaptureFixture[str],
) -> None:
    denial = "AdvisorsFunction called Scan: its role does not allow dynamodb:Scan on arn:t"

    assert report(api_outcome(200, "{}", denials=(denial,))) == 1

    assert f"the role of AdvisorsFunction refused a call: {denial}" in capsys.readouterr().err
