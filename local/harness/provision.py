"""Creates what template.yaml declares in an AWS emulator (moto, in-process or server).

Tables (with their streams), buckets, secrets, queues (with their redrive policies), topics
and user pools (with their app clients and groups) are made from their template definitions;
the result maps each logical id to what `!Ref` gives in AWS (a name, an ARN, a queue URL or an
id), ready to resolve the functions' environments.

The app client gets the template's ReadAttributes and WriteAttributes, which moto ignores and
the local stack's emulator enforces as Cognito does (local.stack.fidelity).

Every resource is named by its logical id, but for the seed bucket, which is given its own name
(the local stack's LOCAL_SEED_BUCKET): `existing` finds by those names what `provision` made
earlier in an emulator, such as a running local stack's.
"""

import json
import secrets
from typing import TYPE_CHECKING, Any

import boto3
from botocore.exceptions import ClientError

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
        name = _bucket_name(logical_id, seed_bucket_name)
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
    sns = boto3.client("sns")
    for logical_id, resource in template.resources_of_type("AWS::SNS::Topic").items():
        properties = resource["Properties"]
        attributes = {
            name: str(properties[name]).lower()
            for name in ("FifoTopic", "ContentBasedDeduplication")
            if name in properties
        }
        refs[logical_id] = sns.create_topic(Name=topic_name(logical_id), Attributes=attributes)[
            "TopicArn"
        ]
    if user_pools:
        refs.update(provision_user_pools())
    return refs


def topic_name(logical_id: str) -> str:
    """A topic is named by its logical id, with the suffix a FIFO topic's name must have."""
    properties = template.load()["Resources"][logical_id]["Properties"]
    return f"{logical_id}.fifo" if properties.get("FifoTopic") else logical_id


def _bucket_name(logical_id: str, seed_bucket_name: str) -> str:
    return seed_bucket_name if logical_id == SEED_BUCKET else logical_id.lower()


def existing(seed_bucket_name: str) -> dict[str, str]:
    """The !Ref values of every resource `provision` made earlier in this emulator; LookupError
    naming the first one missing (the emulator holds no provisioned stack)."""
    try:
        return _existing(seed_bucket_name)
    except ClientError as error:
        raise LookupError(str(error)) from error


def _existing(seed_bucket_name: str) -> dict[str, str]:
    refs: dict[str, str] = {}
    dynamodb = boto3.client("dynamodb")
    for logical_id in template.resources_of_type("AWS::DynamoDB::Table"):
        dynamodb.describe_table(TableName=logical_id)
        refs[logical_id] = logical_id
    s3 = boto3.client("s3")
    for logical_id in template.resources_of_type("AWS::S3::Bucket"):
        name = _bucket_name(logical_id, seed_bucket_name)
        s3.head_bucket(Bucket=name)
        refs[logical_id] = name
    secretsmanager = boto3.client("secretsmanager")
    for logical_id in template.resources_of_type("AWS::SecretsManager::Secret"):
        refs[logical_id] = secretsmanager.describe_secret(SecretId=logical_id)["ARN"]
    sqs = boto3.client("sqs")
    for logical_id in template.resources_of_type("AWS::SQS::Queue"):
        refs[logical_id] = sqs.get_queue_url(QueueName=logical_id)["QueueUrl"]
    sns = boto3.client("sns")
    topics = [t["TopicArn"] for t in sns.list_topics()["Topics"]]
    for logical_id in template.resources_of_type("AWS::SNS::Topic"):
        name = topic_name(logical_id)
        arn = next((t for t in topics if t.rsplit(":", 1)[1] == name), None)
        if arn is None:
            raise LookupError(f"no topic named {name}")
        refs[logical_id] = arn
    cognito: CognitoIdentityProviderClient = boto3.client("cognito-idp")
    pools = {p["Name"]: p["Id"] for p in cognito.list_user_pools(MaxResults=60)["UserPools"]}
    for logical_id in template.resources_of_type("AWS::Cognito::UserPool"):
        if logical_id not in pools:
            raise LookupError(f"no user pool named {logical_id}")
        refs[logical_id] = pools[logical_id]
    for logical_id, resource in template.resources_of_type("AWS::Cognito::UserPoolClient").items():
        pool_id = refs[resource["Properties"]["UserPoolId"]["Ref"]]
        listed = cognito.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)
        clients = {c["ClientName"]: c["ClientId"] for c in listed["UserPoolClients"]}
        if logical_id not in clients:
            raise LookupError(f"no app client named {logical_id}")
        refs[logical_id] = clients[logical_id]
    return refs


_CLIENT_SETTINGS = (
    "ReadAttributes",
    "WriteAttributes",
    "GenerateSecret",
    "AllowedOAuthFlows",
    "AllowedOAuthFlowsUserPoolClient",
    "AllowedOAuthScopes",
)


def provision_user_pools() -> dict[str, str]:
    """Create the template's user pools, resource servers, app clients and groups; their !Ref
    values (ids)."""
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
    for resource in template.resources_of_type("AWS::Cognito::UserPoolResourceServer").values():
        properties = resource["Properties"]
        cognito.create_resource_server(
            UserPoolId=refs[properties["UserPoolId"]["Ref"]],
            Identifier=properties["Identifier"],
            Name=properties["Name"],
            Scopes=properties.get("Scopes", []),
        )
    for logical_id, resource in template.resources_of_type("AWS::Cognito::UserPoolClient").items():
        properties = resource["Properties"]
        refs[logical_id] = cognito.create_user_pool_client(
            UserPoolId=refs[properties["UserPoolId"]["Ref"]],
            ClientName=logical_id,
            ExplicitAuthFlows=properties.get("ExplicitAuthFlows", []),
            # What users may read and write of their own attributes (the emulator enforces it),
            # and the OAuth grants and scopes of an integrator's client (local.stack.cognito).
            **{k: properties[k] for k in _CLIENT_SETTINGS if k in properties},
        )["UserPoolClient"]["ClientId"]
    for resource in template.resources_of_type("AWS::Cognito::UserPoolGroup").values():
        properties = resource["Properties"]
        cognito.create_group(
            UserPoolId=refs[properties["UserPoolId"]["Ref"]], GroupName=properties["GroupName"]
        )
    return refs
