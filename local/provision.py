"""Creates what template.yaml declares in an AWS emulator (moto, in-process or server).

Tables, buckets, secrets, queues and user pools are made from their template definitions (user
pools by local.cognito); the result maps
each logical id to what `!Ref` gives in AWS (a name, an ARN or a queue URL), ready to resolve
the functions' environments.
"""

import secrets
from typing import Any

import boto3

from local import cognito, template

SEED_BUCKET = "SeedBucket"


def provision(seed_bucket_name: str) -> dict[str, str]:
    """Create every table, bucket, secret, queue and user pool of the template; returns their
    !Ref values."""
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
    for logical_id, resource in template.resources_of_type("AWS::SQS::Queue").items():
        timeout = resource["Properties"].get("VisibilityTimeout")
        attributes: Any = {"VisibilityTimeout": str(timeout)} if timeout is not None else {}
        refs[logical_id] = sqs.create_queue(QueueName=logical_id, Attributes=attributes)["QueueUrl"]
    refs.update(cognito.provision_user_pools())
    return refs
