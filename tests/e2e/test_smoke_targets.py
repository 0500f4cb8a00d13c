"""`make smoke`'s two ways to find a deployed stack, proved against the local stack: an API URL
with a token, and a CloudFormation stack whose outputs name the API and the user pool (made in
the local stack's emulator, where CloudFormation is moto's)."""

import ast
import json
import os
import subprocess
import sys
from typing import Any

from tests.conftest import ROOT
from tests.e2e.conftest import LocalStack

# Every smoke test must run (none skipped) whichever way the stack is found.
SMOKE_TESTS = sum(
    isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    for node in ast.parse((ROOT / "tests" / "e2e" / "test_smoke.py").read_text()).body
)
RUN_TIMEOUT = 600  # a safety net for a busy machine, never a measure


def run_smoke(environment: dict[str, str]) -> Any:
    """`make smoke`'s command, with its settings in the environment as make passes them."""
    settings = {name: value for name, value in os.environ.items() if not name.startswith("SMOKE_")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "tests/e2e/test_smoke.py", "-p", "no:cacheprovider"],
        cwd=ROOT,
        env={**settings, **environment},
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
    )


def assert_all_passed(ran: Any) -> None:
    assert ran.returncode == 0, ran.stdout + ran.stderr
    summary = ran.stdout.strip().splitlines()[-1]
    assert f"{SMOKE_TESTS} passed" in summary
    assert "skipped" not in summary


def test_smoke_runs_against_an_api_url_with_a_token(stack: LocalStack) -> None:
    ran = run_smoke({"SMOKE_URL": stack.api_url + "/", "SMOKE_TOKEN": stack.token()})

    assert_all_passed(ran)


def test_smoke_finds_the_api_and_signs_in_through_a_stacks_outputs(stack: LocalStack) -> None:
    cognito = stack.aws("cognito-idp")
    (pool,) = cognito.list_user_pools(MaxResults=60)["UserPools"]
    clients = cognito.list_user_pool_clients(UserPoolId=pool["Id"])["UserPoolClients"]
    # The people's app client (the pool also has the integrators'), named by its logical id.
    (client,) = [c for c in clients if c["ClientName"] == "UserPoolClient"]
    outputs = {
        "ApiUrl": stack.api_url,
        "UserPoolId": pool["Id"],
        "UserPoolClientId": client["ClientId"],
    }
    stack.aws("cloudformation").create_stack(
        StackName="advisor-book-smoke",
        TemplateBody=json.dumps(
            {"Resources": {}, "Outputs": {k: {"Value": v} for k, v in outputs.items()}}
        ),
    )

    ran = run_smoke(
        {
            "SMOKE_STACK": "advisor-book-smoke",
            "AWS_ENDPOINT_URL": stack.aws_url,
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_DEFAULT_REGION": "us-east-1",
        }
    )

    assert_all_passed(ran)
    groups = cognito.admin_list_groups_for_user(UserPoolId=pool["Id"], Username="smoke-admin")
    assert [g["GroupName"] for g in groups["Groups"]] == ["admin"]
