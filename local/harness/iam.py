"""What each function's role in template.yaml allows, checked against the AWS calls it makes.

The emulator does not enforce IAM, so a handler that needs an action its role lacks would pass
every local test and fail only once deployed. The integration tests and the local stack's
instances therefore run every handler under `RoleAudit`: each AWS request it makes is
translated into the IAM actions and resource ARNs AWS would authorize (a TransactWriteItems
into one action per item, a GetObject with a version into s3:GetObjectVersion, a Query of an
index into the index's ARN) and refused with AccessDeniedException, as AWS would, unless a
statement of the function's own policy allows it.
"""

import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

from botocore.client import BaseClient
from botocore.exceptions import ClientError

from local.harness import template


@dataclass(frozen=True)
class Deployment:
    """The pseudo parameters a stack resolves its ARNs and names with, and the local names of
    buckets that stand for the deployed ones (`buckets`: local name -> deployed name)."""

    stack_name: str = "advisor-book"
    region: str = "us-east-1"
    account: str = "123456789012"  # the emulator's default account
    partition: str = "aws"
    buckets: Mapping[str, str] = field(default_factory=dict)

    def pseudo(self) -> dict[str, str]:
        return {
            "AWS::StackName": self.stack_name,
            "AWS::Region": self.region,
            "AWS::AccountId": self.account,
            "AWS::Partition": self.partition,
            "AWS::URLSuffix": "amazonaws.com",
        }

    def sub(self, text: str, arns: Mapping[str, str], refs: Mapping[str, str]) -> str:
        """Fn::Sub: ${AWS::...}, ${Logical.Arn} and ${Logical}."""

        pseudo = self.pseudo()

        def value(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in pseudo:
                return pseudo[name]
            if name.endswith(".Arn"):
                return arns[name.removesuffix(".Arn")]
            return refs[name]

        return re.sub(r"\$\{([^}]+)\}", value, text)

    def bucket_name(self, logical_id: str) -> str:
        """The name the template gives a bucket in this deployment."""
        name = template.load()["Resources"][logical_id]["Properties"]["BucketName"]
        return self.sub(name["Fn::Sub"], {}, {}) if isinstance(name, dict) else str(name)


@dataclass(frozen=True)
class Access:
    """One IAM authorization: an action on a resource ARN."""

    action: str
    resource: str


@dataclass(frozen=True)
class Statement:
    actions: tuple[str, ...]
    resources: tuple[str, ...]

    def allows(self, access: Access) -> bool:
        return any(fnmatchcase(access.action, a) for a in self.actions) and any(
            fnmatchcase(access.resource, r) for r in self.resources
        )


def role_statements(
    function: str, deployment: Deployment, arns: Mapping[str, str], refs: Mapping[str, str]
) -> list[Statement]:
    """The Allow statements of a function's inline policies, resolved for this deployment.
    SAM policy templates and managed policies are refused: the audit could not read them."""
    properties = template.load()["Resources"][function]["Properties"]
    statements = []
    for policy in properties.get("Policies", []):
        if not isinstance(policy, dict) or set(policy) != {"Statement"}:
            raise ValueError(f"{function}: only inline Statement policies can be audited")
        for raw in policy["Statement"]:
            if raw["Effect"] != "Allow":
                raise ValueError(f"{function}: only Allow statements can be audited")
            statements.append(
                Statement(
                    actions=tuple(_listed(raw["Action"])),
                    resources=tuple(
                        _resolve(r, deployment, arns, refs) for r in _listed(raw["Resource"])
                    ),
                )
            )
    return statements


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _resolve(
    value: Any, deployment: Deployment, arns: Mapping[str, str], refs: Mapping[str, str]
) -> str:
    if isinstance(value, dict) and "Fn::GetAtt" in value and value["Fn::GetAtt"][1] == "Arn":
        return arns[value["Fn::GetAtt"][0]]
    if isinstance(value, dict) and "Fn::GetAtt" in value and value["Fn::GetAtt"][1] == "StreamArn":
        # The table's stream: its label changes whenever the stream is enabled again, so any
        # stream of the table stands for it.
        return f"{arns[value['Fn::GetAtt'][0]]}/stream/*"
    if isinstance(value, dict) and isinstance(value.get("Fn::Sub"), str):
        return deployment.sub(value["Fn::Sub"], arns, refs)
    return template.resolve(value, refs)


# --- what a request needs -----------------------------------------------------------------

_TRANSACT_ITEM_ACTIONS = {
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
    "Get": "GetItem",
}


def required(
    service: str, operation: str, params: Mapping[str, Any], deployment: Deployment
) -> list[Access]:
    """The authorizations AWS checks for one API call. Unknown calls raise: an audit that
    skipped them could not fail."""
    match service, operation:
        case "dynamodb", "BatchGetItem" | "BatchWriteItem":
            return [
                Access(f"dynamodb:{operation}", _table_arn(table, deployment))
                for table in params["RequestItems"]
            ]
        case "dynamodb", "TransactWriteItems" | "TransactGetItems":
            return [
                Access(
                    f"dynamodb:{_TRANSACT_ITEM_ACTIONS[kind]}",
                    _table_arn(request["TableName"], deployment),
                )
                for item in params["TransactItems"]
                for kind, request in item.items()
            ]
        case "dynamodb", _ if "TableName" in params:
            arn = _table_arn(params["TableName"], deployment)
            if "IndexName" in params:
                arn += f"/index/{params['IndexName']}"
            return [Access(f"dynamodb:{operation}", arn)]
        case "s3", "GetObject" | "HeadObject":
            action = "s3:GetObjectVersion" if params.get("VersionId") else "s3:GetObject"
            bucket = deployment.buckets.get(params["Bucket"], params["Bucket"])
            arn = f"arn:{deployment.partition}:s3:::{bucket}/{params['Key']}"
            return [Access(action, arn)]
        case "secretsmanager", "GetSecretValue":
            return [Access("secretsmanager:GetSecretValue", params["SecretId"])]
        case "sqs", _ if "QueueUrl" in params:
            return [Access(f"sqs:{operation}", _queue_arn(params["QueueUrl"], deployment))]
        case "sns", "Publish":
            return [Access("sns:Publish", params["TopicArn"])]
        case "dynamodbstreams", "DescribeStream" | "GetShardIterator":
            return [Access(f"dynamodb:{operation}", params["StreamArn"])]
        case "dynamodbstreams", "GetRecords":
            # The emulator's shard iterators begin with their stream's ARN (AWS's are opaque).
            stream_arn = params["ShardIterator"].split("|", 1)[0]
            return [Access("dynamodb:GetRecords", stream_arn)]
    raise ValueError(f"no IAM mapping for {service}:{operation}")


def _queue_arn(url: str, deployment: Deployment) -> str:
    name = url.rstrip("/").rsplit("/", 1)[1]
    return f"arn:{deployment.partition}:sqs:{deployment.region}:{deployment.account}:{name}"


def _table_arn(table: str, deployment: Deployment) -> str:
    return (
        f"arn:{deployment.partition}:dynamodb:{deployment.region}:{deployment.account}"
        f":table/{table}"
    )


# --- enforcing it ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Denial:
    function: str
    operation: str
    access: Access

    def __str__(self) -> str:
        return (
            f"{self.function} called {self.operation}: its role does not allow "
            f"{self.access.action} on {self.access.resource}"
        )


class RoleAudit:
    """Refuses, as AWS would, every AWS call a handler makes that its role does not allow.

    Install it once (it wraps botocore's API call for every client), then run each handler
    call inside `acting_as(function)`; calls outside one (the tests' own setup and checks)
    pass untouched. Denials are kept in `denied` so a test can report them even when the
    handler turned the AccessDeniedException into a 500.
    """

    def __init__(self, deployment: Deployment, refs: Mapping[str, str]) -> None:
        """`refs`: what `!Ref` gives for each resource the emulator holds."""
        self._deployment = deployment
        self._arns = resource_arns(refs, deployment)
        self._refs = dict(refs)
        self._roles: dict[str, list[Statement]] = {}
        self._acting: str | None = None
        self.denied: list[Denial] = []

    @contextmanager
    def acting_as(self, function: str) -> Iterator[None]:
        """Handler calls run one at a time in the tests; the writer threads an ingest starts
        inside the call act as its function too. Nested, the inner function acts until it
        returns (a test interleaving one handler inside another)."""
        outer, self._acting = self._acting, function
        try:
            yield
        finally:
            self._acting = outer

    def check(self, service: str, operation: str, params: Mapping[str, Any]) -> None:
        function = self._acting
        if function is None:
            return
        if function not in self._roles:
            self._roles[function] = role_statements(
                function, self._deployment, self._arns, self._refs
            )
        statements = self._roles[function]
        for access in required(service, operation, params, self._deployment):
            if not any(statement.allows(access) for statement in statements):
                denial = Denial(function, operation, access)
                self.denied.append(denial)
                raise ClientError(
                    {"Error": {"Code": "AccessDeniedException", "Message": str(denial)}},
                    operation,
                )

    @classmethod
    def enforce_in_this_process(cls, function: str, refs: Mapping[str, str]) -> "RoleAudit":
        """For a process that only ever runs `function` (a local stack instance, a `make
        invoke`): every AWS call it makes from now on is checked against that function's role;
        the audit returned keeps what it refused. The local seed bucket has a local name; it
        stands for the bucket the template names."""
        audit = cls.of_local_stack(refs)
        audit._acting = function
        BaseClient._make_api_call = audit.api_call()  # type: ignore[attr-defined]
        return audit

    @classmethod
    def of_local_stack(cls, refs: Mapping[str, str]) -> "RoleAudit":
        """An audit of the resources the local stack made (`refs`), whose local seed bucket
        stands for the bucket the template names."""
        buckets = {refs[b]: Deployment().bucket_name(b) for b in _named_buckets() if b in refs}
        return cls(Deployment(buckets=buckets), refs)

    def api_call(self) -> Callable[..., Any]:
        """A stand-in for botocore's `BaseClient._make_api_call`, every client's one way out,
        that checks the call first."""
        call = BaseClient._make_api_call  # type: ignore[attr-defined]  # private: no stubs

        def checked(client: BaseClient, operation: str, params: dict[str, Any]) -> Any:
            self.check(client.meta.service_model.service_name, operation, params)
            return call(client, operation, params)

        return checked


def resource_arns(refs: Mapping[str, str], deployment: Deployment) -> dict[str, str]:
    """`!GetAtt X.Arn` of every resource the emulator holds, from what `!Ref` gave (`refs`
    may also give parameters their values)."""
    resources = template.load()["Resources"]
    arns = {}
    for logical_id, ref in refs.items():
        match resources.get(logical_id, {}).get("Type"):
            case "AWS::DynamoDB::Table":
                arns[logical_id] = _table_arn(ref, deployment)
            case "AWS::S3::Bucket":
                bucket = deployment.buckets.get(ref, ref)
                arns[logical_id] = f"arn:{deployment.partition}:s3:::{bucket}"
            case "AWS::SQS::Queue":
                arns[logical_id] = _queue_arn(ref, deployment)
            case "AWS::SecretsManager::Secret" | "AWS::SNS::Topic":
                arns[logical_id] = ref
    return arns


def _named_buckets() -> list[str]:
    """Buckets to which the template gives a name (roles can name only those)."""
    return [
        logical_id
        for logical_id, resource in template.resources_of_type("AWS::S3::Bucket").items()
        if "BucketName" in resource.get("Properties", {})
    ]
