"""`make env-json`: env.json for `sam local invoke`, from a stack that CloudFormation (moto)
created from the template's own data resources and outputs."""

import json
from pathlib import Path
from typing import Any

import boto3
import pytest

from local import deployed
from local.harness import template
from local.tools import env_json

STACK = "advisor-book-dev"
# What moto's CloudFormation can create of the template; the outputs of the others (the
# secret, the user pool, the API) are given stand-in values.
CREATED = ("AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::SQS::Queue")


def deployable(outputs: dict[str, Any]) -> dict[str, Any]:
    """The template cut to what moto can deploy, with the given outputs."""
    document = template.load()
    resources = {
        name: resource
        for name, resource in document["Resources"].items()
        if resource["Type"] in CREATED
    }
    kept = {}
    for key, output in outputs.items():
        ref = output["Value"].get("Ref") if isinstance(output["Value"], dict) else None
        kept[key] = output if ref in resources else {"Value": f"stand-in-{key}"}
    return {
        "Parameters": document["Parameters"],
        "Conditions": document["Conditions"],
        "Resources": resources,
        "Outputs": kept,
    }


def deploy(outputs: dict[str, Any]) -> None:
    boto3.client("cloudformation").create_stack(
        StackName=STACK,
        TemplateBody=json.dumps(deployable(outputs)),
        Parameters=[{"ParameterKey": "LogLevel", "ParameterValue": "DEBUG"}],
    )


def test_env_json_holds_every_function_and_each_of_its_variables(aws: None, tmp_path: Path) -> None:
    deploy(template.load()["Outputs"])
    written = tmp_path / "env.json"

    assert env_json.main(["--env", "dev", "--output", str(written)]) == 0

    variables = json.loads(written.read_text())
    functions = template.functions()
    assert set(variables) == set(functions)
    for name, function in functions.items():
        assert set(variables[name]) == set(function.environment), name
    outputs = deployed.describe(STACK).outputs
    assert {v["TABLE_NAME"] for v in variables.values()} == {outputs["TableName"]}
    assert {v["POWERTOOLS_LOG_LEVEL"] for v in variables.values()} == {"DEBUG"}
    assert variables["AdvisorsFunction"]["CURSOR_SECRET_ARN"] == outputs["CursorSecretArn"]
    assert variables["IngestFunction"]["MALLOC_ARENA_MAX"] == "2"


def test_every_queue_variable_is_the_url_of_its_queue(aws: None, tmp_path: Path) -> None:
    """CloudFormation's !Ref of a queue is its URL, which the code sends to; its name would
    fail the first continuation."""
    deploy(template.load()["Outputs"])
    written = tmp_path / "env.json"
    env_json.main(["--stack", STACK, "--output", str(written)])
    sqs = boto3.client("sqs")

    queue_variables = {
        name: value
        for name, value in json.loads(written.read_text())["IngestFunction"].items()
        if name.endswith("_QUEUE_URL")
    }

    assert set(queue_variables) == {
        "CONTINUATION_QUEUE_URL",
        "IMPORT_FAILURES_QUEUE_URL",
        "DEAD_LETTER_QUEUE_URL",
    }
    for url in queue_variables.values():
        assert url.startswith("https://sqs.")
        assert sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]


def test_a_stack_deployed_without_an_output_the_functions_need_is_named(
    aws: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    older = {k: v for k, v in template.load()["Outputs"].items() if k != "CursorSecretArn"}
    deploy(older)

    assert env_json.main(["--stack", STACK, "--output", str(tmp_path / "env.json")]) == 1

    assert f"the stack {STACK} has no output CursorSecretArn" in capsys.readouterr().err
    assert not (tmp_path / "env.json").exists()


def test_a_stack_that_does_not_exist_is_a_clear_error(
    aws: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert env_json.main(["--stack", "no-such-stack", "--output", str(tmp_path / "e")]) == 1

    assert "no-such-stack" in capsys.readouterr().err


def test_every_resource_an_environment_refers_to_has_an_output() -> None:
    """A `!Ref` to a resource or a `!Sub` in an environment is resolved through the output
    whose value is the same."""
    referred = [
        value
        for function in template.functions().values()
        for value in function.environment.values()
        if isinstance(value, dict) and value.get("Ref") not in template.load()["Parameters"]
    ]
    outputs = [output["Value"] for output in template.load()["Outputs"].values()]

    assert {"Fn::Sub"} in [set(value) for value in referred]
    assert [value for value in referred if value not in outputs] == []


@pytest.mark.parametrize(
    ("environment", "stack"),
    [("default", "advisor-book"), ("dev", "advisor-book-dev"), ("prod", "advisor-book-prod")],
)
def test_each_deploy_environment_names_its_stack_in_samconfig(environment: str, stack: str) -> None:
    assert deployed.stack_name(environment) == stack


def test_an_unknown_deploy_environment_lists_the_known_ones() -> None:
    with pytest.raises(LookupError, match="its environments are default, dev, prod"):
        deployed.stack_name("/home/user/.shrc")
