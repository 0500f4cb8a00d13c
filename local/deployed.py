"""A deployed stack as the developer commands see it: its name from samconfig.toml (one per
deploy environment: default, dev, prod), its outputs and the parameters it was deployed with
from CloudFormation. `make env-json`, `make smoke ENV=...` and `make import ENV=...` read it
here.

    python -m local.deployed --env dev     # prints the environment's stack name
"""

import argparse
import sys
import tomllib
from dataclasses import dataclass
from typing import Any

import boto3

from local.harness.template import ROOT

SAMCONFIG = ROOT / "samconfig.toml"


def _parameters(config: dict[str, Any], environment: str) -> dict[str, Any]:
    """What `sam deploy --config-env <environment>` reads: its global parameters, then its
    deploy parameters over them."""
    sections = config.get(environment)
    if not isinstance(sections, dict):
        return {}
    return {
        **sections.get("global", {}).get("parameters", {}),
        **sections.get("deploy", {}).get("parameters", {}),
    }


def environments() -> list[str]:
    """The deploy environments samconfig.toml names a stack for."""
    config: dict[str, Any] = tomllib.loads(SAMCONFIG.read_text())
    return [name for name in config if "stack_name" in _parameters(config, name)]


def settings(environment: str) -> tuple[str, str | None]:
    """The stack that `sam deploy --config-env <environment>` deploys, and its region (None:
    the caller's AWS configuration decides)."""
    config: dict[str, Any] = tomllib.loads(SAMCONFIG.read_text())
    parameters = _parameters(config, environment)
    if "stack_name" not in parameters:
        raise LookupError(
            f"samconfig.toml has no deploy environment {environment!r}; "
            f"its environments are {', '.join(environments())}"
        )
    region = parameters.get("region")
    return str(parameters["stack_name"]), str(region) if region else None


def stack_name(environment: str) -> str:
    """The stack that `sam deploy --config-env <environment>` deploys."""
    return settings(environment)[0]


@dataclass(frozen=True)
class DeployedStack:
    name: str
    outputs: dict[str, str]
    parameters: dict[str, str]

    def output(self, key: str) -> str:
        if key not in self.outputs:
            raise LookupError(
                f"the stack {self.name} has no output {key}: it was deployed from an older "
                "template.yaml; deploy it again"
            )
        return self.outputs[key]


def describe(name: str) -> DeployedStack:
    """The stack's outputs and parameters, with the caller's AWS credentials and region."""
    (stack,) = boto3.client("cloudformation").describe_stacks(StackName=name)["Stacks"]
    return DeployedStack(
        name=name,
        outputs={o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])},
        parameters={p["ParameterKey"]: p["ParameterValue"] for p in stack.get("Parameters", [])},
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env", default="default", help="a samconfig.toml environment")
    args = parser.parse_args(argv)
    try:
        print(stack_name(args.env))
    except LookupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
