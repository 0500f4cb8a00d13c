"""The command line of `make invoke`: arguments, the event file, and the printed report."""

import argparse
import json
import sys
from contextlib import ExitStack, suppress
from pathlib import Path
from typing import Any

from local.harness import template
from local.invoke.execution import Outcome, invoke_once
from local.invoke.target import (
    Settings,
    UsageError,
    check_s3_objects,
    fresh_emulator,
    running_stack,
)

USAGE_ERROR = 2

EPILOG = """\
AWS:
  With `make run` running, the function works on the local stack's resources (its table,
  seed bucket, secret, queues and user pool, found by the names the stack gives them).
  Otherwise a fresh emulator is started on a free port, provisioned from template.yaml and
  seeded with LOCAL_SEED_FILE through the ingest function; it is stopped afterwards.
  An S3 event must name an object that exists there: data.json is uploaded under its own name
  in the seed bucket when seeding, and the local stack uploads it when it starts.

output:
  stdout  the response: for an API event its status, headers and body (JSON pretty-printed);
          for another event the JSON the function returned; for a failure Lambda's error
          response (errorType, errorMessage, stackTrace)
  stderr  the function's log lines, then Lambda's END and REPORT lines

exit status:
  0  the function answered (an API event's status below 500)
  1  the function raised, answered a 5xx, or its role refused one of its AWS calls
  2  a bad FUNCTION or EVENT, an S3 event naming an object that is not there, or something
     other than the local stack listening on LOCAL_AWS_PORT

environment:
  LOCAL_AWS_PORT     the local stack's emulator port (default 5000), as given to make run
  LOCAL_SEED_BUCKET  the local seed bucket's name (default advisor-book-seed), as make run's
  LOCAL_SEED_FILE    what a fresh emulator is seeded with (default data.json)

examples:
  make invoke FUNCTION=AdvisorsFunction EVENT=events/list_advisors.json
  make invoke FUNCTION=AssignmentsFunction EVENT=events/assign_advisor.json
  make invoke FUNCTION=IngestFunction EVENT=events/s3_seed_uploaded.json
  python -m local.invoke AdvisorsFunction events/list_advisors.json 2>/dev/null
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m local.invoke",
        description=(
            "Run one function of template.yaml once on an event file, as `sam local invoke`\n"
            "would, without Docker: with its environment from the template, every AWS call\n"
            "held to its role, and a Lambda context."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    names = ", ".join(sorted(template.functions()))
    parser.add_argument("function", metavar="FUNCTION", help=f"a logical id: {names}")
    parser.add_argument(
        "event", metavar="EVENT", type=Path, help="a JSON event file, such as those in events/"
    )
    return parser


def _read_event(path: Path) -> dict[str, Any]:
    try:
        event = json.loads(path.read_text())
    except FileNotFoundError:
        raise UsageError(f"no event file {path}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UsageError(f"the event file {path} is not JSON: {error}") from None
    if not isinstance(event, dict):
        raise UsageError(f"the event file {path} holds no JSON object")
    return event


def _note_routing(function: str, event: dict[str, Any]) -> None:
    """An API event for a route the template gives another function is worth a word."""
    method, resource_path = str(event.get("httpMethod")), str(event.get("resource"))
    routed = {(r.method, r.path): r.function for r in template.routes()}
    owner = routed.get((method, resource_path)) or routed.get(("ANY", resource_path))
    if owner is not None and owner != function:
        print(
            f"note: template.yaml routes {method} {resource_path} to {owner}, not {function}",
            file=sys.stderr,
        )


def _api_response(response: dict[str, Any]) -> str:
    """An API Gateway proxy response as HTTP shows it: status, headers, then the body."""
    headers = dict(response.get("headers") or {})
    for name, values in (response.get("multiValueHeaders") or {}).items():
        headers[name] = ", ".join(str(v) for v in values)
    lines = [f"HTTP {response['statusCode']}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    body = response.get("body") or ""
    if response.get("isBase64Encoded"):
        body = f"<{len(body)} characters of base64>"
    else:
        with suppress(ValueError):
            body = json.dumps(json.loads(body), indent=2, ensure_ascii=False)
    return "\n".join([*lines, "", body])


def report(outcome: Outcome) -> int:
    """Print the outcome (the response to stdout, the verdict to stderr); the exit status."""
    function = template.functions()[outcome.function]
    print(f"END RequestId: {outcome.request_id}", file=sys.stderr)
    print(
        f"REPORT RequestId: {outcome.request_id}\tDuration: {outcome.duration_ms:.2f} ms\t"
        f"Memory Size: {function.memory_mb} MB\tMax Memory Used: {outcome.max_memory_mb} MB",
        file=sys.stderr,
    )
    problems = [f"the role of {outcome.function} refused a call: {d}" for d in outcome.denials]
    if outcome.error is not None:
        print(json.dumps(outcome.error, indent=2))
        problems.append(f"{outcome.error['errorType']}: {outcome.error['errorMessage']}")
    elif isinstance(outcome.response, dict) and "statusCode" in outcome.response:
        print(_api_response(outcome.response))
        if int(outcome.response["statusCode"]) >= 500:
            problems.append(f"the function answered {outcome.response['statusCode']}")
    else:
        print(json.dumps(outcome.response, indent=2, ensure_ascii=False))
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    # The shared layer, as Lambda mounts it for every function (spawned processes inherit it).
    sys.path.insert(0, str(template.ROOT / "layers" / "shared"))
    functions = template.functions()
    try:
        if args.function not in functions:
            raise UsageError(
                f"no function {args.function!r} in template.yaml; its functions are "
                + ", ".join(sorted(functions))
            )
        event = _read_event(args.event)
        _note_routing(args.function, event)
        settings = Settings()
        with ExitStack() as exits:
            target = running_stack(settings) or fresh_emulator(settings, exits)
            check_s3_objects(event, target)
            print(f"{args.function} <- {args.event} on {target.description}", file=sys.stderr)
            return report(invoke_once(args.function, event, target.refs))
    except UsageError as error:
        parser.print_usage(sys.stderr)
        print(f"error: {error}", file=sys.stderr)
        return USAGE_ERROR
