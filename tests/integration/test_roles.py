"""The role audit every handler call runs under (conftest's `role_audit`) refuses what AWS
would refuse: these tests show it on calls the template's roles do not grant."""

from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.client import BaseClient
from botocore.exceptions import ClientError

from local.harness.iam import Access, RoleAudit, required
from local.tools.sample_events import SAMPLE_BUCKET
from tests.conftest import BUCKET, DEPLOYMENT

TABLE_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/BookTable"


def refused(audit: RoleAudit, function: str, call: Callable[[], Any]) -> list[str]:
    """Run `call` as `function`; the denials it met (then forgotten, so the test ends clean)."""
    with audit.acting_as(function), pytest.raises(ClientError) as raised:
        call()
    assert raised.value.response["Error"]["Code"] == "AccessDeniedException"
    denied = [str(d.access) for d in audit.denied]
    audit.denied.clear()
    return denied


def test_a_read_function_may_not_write_the_table(role_audit: RoleAudit, table: str) -> None:
    db = boto3.client("dynamodb")
    item = {"PK": {"S": "x"}, "SK": {"S": "y"}}

    denied = refused(
        role_audit, "AdvisorsFunction", lambda: db.put_item(TableName=table, Item=item)
    )

    assert denied == [str(Access("dynamodb:PutItem", TABLE_ARN))]


def test_the_clients_function_may_query_but_not_get_an_item(
    role_audit: RoleAudit, table: str
) -> None:
    db = boto3.client("dynamodb")
    key = {"PK": {"S": "CLIENT#cli-0001"}, "SK": {"S": "#PROFILE"}}
    with role_audit.acting_as("ClientsFunction"):
        db.query(
            TableName=table,
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": key["PK"]},
        )

    denied = refused(role_audit, "ClientsFunction", lambda: db.get_item(TableName=table, Key=key))

    assert denied == [str(Access("dynamodb:GetItem", TABLE_ARN))]


@pytest.mark.parametrize("function", ["DocsFunction", "AuthorizerFunction"])
def test_the_functions_without_aws_access_may_call_nothing(
    role_audit: RoleAudit, cursor_secret: str, function: str
) -> None:
    secrets = boto3.client("secretsmanager")

    denied = refused(role_audit, function, lambda: secrets.get_secret_value(SecretId=cursor_secret))

    assert denied == [str(Access("secretsmanager:GetSecretValue", cursor_secret))]


def test_the_ingest_may_read_only_its_own_bucket(role_audit: RoleAudit, seed_bucket: str) -> None:
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="someone-elses-bucket")
    for bucket in (seed_bucket, "someone-elses-bucket"):
        s3.put_object(Bucket=bucket, Key="data.json", Body=b"{}")
    with role_audit.acting_as("IngestFunction"):
        s3.get_object(Bucket=seed_bucket, Key="data.json")

    denied = refused(
        role_audit,
        "IngestFunction",
        lambda: s3.get_object(Bucket="someone-elses-bucket", Key="data.json"),
    )

    assert denied == [str(Access("s3:GetObject", "arn:aws:s3:::someone-elses-bucket/data.json"))]


def test_a_transaction_needs_the_action_of_each_of_its_items() -> None:
    def item(kind: str) -> dict[str, Any]:
        return {kind: {"TableName": "BookTable"}}

    needed = required(
        "dynamodb",
        "TransactWriteItems",
        {"TransactItems": [item("Put"), item("Update"), item("Delete"), item("ConditionCheck")]},
        DEPLOYMENT,
    )

    assert [a.action for a in needed] == [
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:ConditionCheckItem",
    ]
    assert {a.resource for a in needed} == {TABLE_ARN}


def test_an_index_query_and_a_versioned_read_need_their_own_grants() -> None:
    query = required(
        "dynamodb", "Query", {"TableName": "BookTable", "IndexName": "GSI1"}, DEPLOYMENT
    )
    versioned = required(
        "s3", "GetObject", {"Bucket": BUCKET, "Key": "a.json", "VersionId": "v1"}, DEPLOYMENT
    )

    assert query == [Access("dynamodb:Query", f"{TABLE_ARN}/index/GSI1")]
    assert versioned == [Access("s3:GetObjectVersion", f"arn:aws:s3:::{BUCKET}/a.json")]


def test_a_call_the_audit_cannot_translate_is_an_error_not_a_pass() -> None:
    with pytest.raises(ValueError, match="no IAM mapping"):
        required("lambda", "Invoke", {"FunctionName": "x"}, DEPLOYMENT)


def test_a_local_stack_instance_is_held_to_its_role_and_its_bucket_stands_for_the_deployed_one(
    resources: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The local stack names the seed bucket `advisor-book-seed`; the role names the bucket
    a deployment creates. An instance reads the one and not another."""
    monkeypatch.setattr(BaseClient, "_make_api_call", BaseClient._make_api_call)  # type: ignore[attr-defined]
    s3 = boto3.client("s3")
    for bucket in (SAMPLE_BUCKET, "someone-elses-bucket"):
        s3.create_bucket(Bucket=bucket)
        s3.put_object(Bucket=bucket, Key="data.json", Body=b"{}")
    local_refs = {**resources, "SeedBucket": SAMPLE_BUCKET}

    RoleAudit.enforce_in_this_process("IngestFunction", local_refs)

    assert s3.get_object(Bucket=SAMPLE_BUCKET, Key="data.json")["Body"].read() == b"{}"
    with pytest.raises(ClientError) as raised:
        s3.get_object(Bucket="someone-elses-bucket", Key="data.json")
    assert raised.value.response["Error"]["Code"] == "AccessDeniedException"
    with pytest.raises(ClientError):
        boto3.client("secretsmanager").get_secret_value(SecretId=resources["CursorSecret"])
