"""Creates what template.yaml declares in an AWS emulator (moto, in-process or server).

Tables, buckets, secrets, queues (with their redrive policies) and user pools (with their app
clients and groups) are made from their template definitions; the result maps each logical id
to what `!Ref` gives in AWS (a name, an ARN, a queue URL or an id), ready to resolve the
functions' environments.

The app client gets the template's ReadAttributes and WriteAttributes, which moto ignores and
the local stack's emulator enforces as Cognito does (local.stack.fidelity).
"""

import json
import secrets
from typing import TYPE_CHECKING, Any

import boto3

from local.harness import template

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient

SEED_BUCKET = "SeedBucket"


def provision(seed_bucket_name: str, *, user_pools: bool = True) -> dict[str, str]:
    """Create every table, bucket, secret, queue and (unless `user_pools` is false) user pool of
    the template; returns their !Ref values."""
    refs: dict[str, str] = {}
    dynamodb = boto3.client("dynamodb")
    for logical_id in template.resources_of_type("AWS::DynamoDB::Table"):
        dynamodb.create_table(**template.table_definition(logical_id, logical_id=logical_id))
        refs[logical_id] = logical_id
    s3 = boto3.client("s3")
    for logical_id, resource in template.resources_of_type("AWS::S3::Bucket").items():
        name = seed_bucket_name if logical_id == SEED_BUCKET else logical_id.lower()
        s3.create_bucket(Bucket=name)
        versioning = resource["Properties"].get("VersioningConfiguration", {})
        if versioning.get("Status") == "Enabled":
            s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        refs[logical_id] = name
    secretsmanager = boto3.client("secretsmanager")
    for logical_id in template.resources_of_type("AWS::SecretsManager::Secret"):
        secret = secretsmanager.create_secret(Name=logical_id, SecretString=secrets.token_hex(32))
        refs[logical_id] = secret["ARN"]
    sqs = boto3.client("sqs")
    queues = template.resources_of_type("AWS::SQS::Queue")
    for logical_id, resource in queues.items():
        wanted = ("VisibilityTimeout", "MessageRetentionPeriod")
        properties = resource["Properties"]
        attributes: Any = {name: str(properties[name]) for name in wanted if name in properties}
        refs[logical_id] = sqs.create_queue(QueueName=logical_id, Attributes=attributes)["QueueUrl"]
    for logical_id in queues:
        policy = template.redrive_policy(logical_id)
        if policy is not None:
            target = sqs.get_queue_attributes(
                QueueUrl=refs[policy.target], AttributeNames=["QueueArn"]
            )["Attributes"]["QueueArn"]
            redrive = {"deadLetterTargetArn": target, "maxReceiveCount": policy.max_receive_count}
            sqs.set_queue_attributes(
                QueueUrl=refs[logical_id], Attributes={"RedrivePolicy": json.dumps(redrive)}
            )
    if user_pools:
        refs.update(provision_user_pools())
    return refs


def provision_user_pools() -> dict[str, str]:
    """Create the template's user pools, app clients and groups; their !Ref values (ids)."""
    refs: dict[str, str] = {}
    cognito: CognitoIdentityProviderClient = boto3.client("cognito-idp")
    for logical_id, resource in template.resources_of_type("AWS::Cognito::UserPool").items():
        properties = resource["Properties"]
        pool = cognito.create_user_pool(
            PoolName=logical_id,
            Schema=properties.get("Schema", []),
            AdminCreateUserConfig=properties.get("AdminCreateUserConfig", {}),
        )["UserPool"]
        refs[logical_id] = pool["Id"]
    for logical_id, resource in template.resources_of_type("AWS::Cognito::UserPoolClient").items():
        properties = resource["Properties"]
        refs[logical_id] = cognito.create_user_pool_client(
            UserPoolId=refs[properties["UserPoolId"]["Ref"]],
            ClientName=logical_id,
            ExplicitAuthFlows=properties.get("ExplicitAuthFlows", []),
            # What users may read and write of their own attributes (the emulator enforces it).
            **{k: properties[k] for k in ("ReadAttributes", "WriteAttributes") if k in properties},
        )["UserPoolClient"]["ClientId"]
    for resource in template.resources_of_type("AWS::Cognito::UserPoolGroup").values():
        properties = resource["Properties"]
        cognito.create_group(
            UserPoolId=refs[properties["UserPoolId"]["Ref"]], GroupName=properties["GroupName"]
        )
    return refs
