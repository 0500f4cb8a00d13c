"""Cold import of every function's handler module, each in a fresh interpreter, against a
baseline that only imports boto3 and creates one DynamoDB client.

    python -m bench.cold_import --runs 9

Each child is started as Lambda starts a Python function: the function's environment from
template.yaml (its references resolved to placeholders: nothing is reached), the variables the
Lambda runtime sets (region, credentials), the function's code folder first on sys.path and the
layer after it (as /var/task and /opt/python). The time is taken inside the child, around the
import alone (interpreter start-up is the same for both and left out), so module-level code
(settings, AWS clients, route registration) counts. The baseline and the functions alternate in
the same loop, so the machine's noise falls on both.
"""

import argparse
import json
import os
import statistics
import sys
from collections.abc import Mapping
from typing import Any

from bench import ROOT, child_result
from local.harness import template

LAYER = ROOT / "layers" / "shared"
REGION = "us-east-1"
ACCOUNT = "123456789012"

BASELINE_SCRIPT = """\
import time
started = time.perf_counter()
import boto3
boto3.client("dynamodb")
print((time.perf_counter() - started) * 1000)
"""

FUNCTION_SCRIPT = """\
import importlib, sys, time
sys.path[:0] = [{code!r}, {layer!r}]
started = time.perf_counter()
importlib.import_module({module!r})
print((time.perf_counter() - started) * 1000)
"""


def placeholder_refs() -> dict[str, str]:
    """What !Ref would give for each resource of the template, made up (never reached)."""
    refs: dict[str, str] = {}
    for logical_id, resource in template.load()["Resources"].items():
        kind = resource["Type"]
        if kind == "AWS::SecretsManager::Secret":
            refs[logical_id] = (
                f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:{logical_id}-AbCdEf"
            )
        elif kind == "AWS::SQS::Queue":
            refs[logical_id] = f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{logical_id}"
        elif kind == "AWS::S3::Bucket":
            refs[logical_id] = logical_id.lower()
        else:
            refs[logical_id] = logical_id
    return refs


def lambda_environment(function: str | None = None) -> dict[str, str]:
    """A child's environment: what the Lambda runtime sets, plus the function's own variables."""
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),  # noqa: S108
        "LANG": "en_US.UTF-8",
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_SESSION_TOKEN": "bench",
        # Lambda has no shared config files; neither do the children, whoever runs the bench.
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }
    if function is not None:
        definition = template.functions()[function]
        environment["AWS_LAMBDA_FUNCTION_NAME"] = function
        environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = str(definition.memory_mb)
        environment.update(definition.resolved_environment(placeholder_refs()))
    return environment


def function_script(function: str) -> str:
    definition = template.functions()[function]
    module = definition.handler.rsplit(".", 1)[0]
    return FUNCTION_SCRIPT.format(code=str(definition.code_uri), layer=str(LAYER), module=module)


def _time_child(script: str, environment: Mapping[str, str]) -> float:
    return float(child_result(["-c", script], environment, "import"))


def measure(runs: int = 9, functions: list[str] | None = None) -> dict[str, Any]:
    """The `cold_import` figures: baseline median and, per function, median and ratio.

    One warm-up round first (bytecode caches written, files in the page cache), then `runs`
    rounds; in each, every function is timed right after a baseline run.
    """
    names = functions or list(template.functions())
    scripts = {name: function_script(name) for name in names}
    environments = {name: lambda_environment(name) for name in names}
    baseline_environment = lambda_environment()
    baseline: list[float] = []
    timings: dict[str, list[float]] = {name: [] for name in names}
    for round_number in range(runs + 1):
        # Rotate the order so no function always follows the same one.
        order = names[round_number % len(names) :] + names[: round_number % len(names)]
        for name in order:
            base = _time_child(BASELINE_SCRIPT, baseline_environment)
            own = _time_child(scripts[name], environments[name])
            if round_number > 0:
                baseline.append(base)
                timings[name].append(own)
    baseline_ms = statistics.median(baseline)
    return {
        "baseline_ms": round(baseline_ms, 1),
        "functions": {
            name: {
                "median_ms": round(statistics.median(values), 1),
                "ratio": round(statistics.median(values) / baseline_ms, 2),
            }
            for name, values in timings.items()
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="measured rounds (default 9)")
    parser.add_argument("functions", nargs="*", help="logical ids (default: every function)")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.runs, args.functions or None), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
