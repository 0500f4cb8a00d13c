"""`make env-json [ENV=default|dev|prod] [STACK=<name>]`: env.json for `sam local invoke
--env-vars env.json`, so that a function invoked in Docker reaches a deployed stack's resources.

    python -m local.tools.env_json --env dev
    python -m local.tools.env_json --stack my-stack --output /tmp/env.json

It holds every function of template.yaml with every variable of its environment (Globals
included), each resolved as CloudFormation resolved it for that stack: a `!Ref` to a resource
(or a `!Sub`) through the stack output whose value is that same `!Ref` (or `!Sub`), so a queue
is its URL, as the code expects; a `!Ref` to a parameter through the value the stack was
deployed with; and a literal as it is. Without it, `sam local invoke` resolves a `!Ref` to
the resource's logical id.
"""

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from local import deployed
from local.harness import template

OUTPUT = template.ROOT / "env.json"


def _resolve(function: str, variable: str, value: Any, stack: deployed.DeployedStack) -> str:
    if isinstance(value, str | int | float):
        return str(value)
    if isinstance(value, dict) and set(value) == {"Ref"}:
        name = value["Ref"]
        parameters = template.load().get("Parameters", {})
        if name in parameters:
            return stack.parameters.get(name, str(parameters[name].get("Default", "")))
    same = [
        key
        for key, output in template.load().get("Outputs", {}).items()
        if output["Value"] == value
    ]
    if same:
        return stack.output(same[0])
    raise LookupError(
        f"{function}'s {variable} is {value!r}, which no output of template.yaml gives: add an "
        "output whose Value is that same !Ref or !Sub"
    )


def env_json(stack: deployed.DeployedStack) -> dict[str, dict[str, str]]:
    """{function logical id: {variable: value}} for every function of the template."""
    return {
        function.logical_id: {
            variable: _resolve(function.logical_id, variable, value, stack)
            for variable, value in function.environment.items()
        }
        for function in template.functions().values()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m local.tools.env_json",
        description="Write env.json for `sam local invoke --env-vars env.json` from a deployed "
        "stack's outputs (AWS credentials and region as for the aws command line).",
    )
    parser.add_argument(
        "--env", default="default", help="the samconfig.toml environment (default: default)"
    )
    parser.add_argument("--stack", help="a stack name, instead of the environment's")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="default: env.json")
    args = parser.parse_args(argv)
    try:
        name = args.stack or deployed.stack_name(args.env)
        variables = env_json(deployed.describe(name))
    except (LookupError, ClientError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except BotoCoreError as error:
        print(f"error: {error} (AWS_PROFILE, AWS_REGION: as for the aws command)", file=sys.stderr)
        return 1
    args.output.write_text(json.dumps(variables, indent=2) + "\n")
    print(f"wrote {args.output}: the environment of {len(variables)} functions from stack {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
