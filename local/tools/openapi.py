"""Generates the API's OpenAPI document from the functions' own routes and pydantic models.

    python -m local.tools.openapi           # writes functions/docs/openapi.json
    python -m local.tools.openapi --check   # fails if the committed document is not current

Each API function's module is loaded as Lambda would load it and its resolver describes its
routes; the descriptions are merged into one document, which the docs function serves.
"""

import argparse
import json
import os
import sys
import tomllib
from typing import Any

from advisor_book.auth import PUBLIC
from local.harness import template
from local.harness.runtime import load_handler

DOCUMENT = template.ROOT / "functions" / "docs" / "openapi.json"
DESCRIPTION = """\
A wealth-management firm's book of business: financial advisors and their clients.

Money is an exact decimal in a JSON string with two decimals ("1234.50"), never a float.
Timestamps are RFC 3339 in UTC. Every error has the body
`{"error": {"code", "message", "details"?}}`. `next_token` values are opaque and signed:
pass them back unchanged, to the listing that returned them, as the same user.

Every operation but the health check needs the ID token of a user of the deployment's Cognito
user pool in the `Authorization` header (the token itself, no prefix); without a valid one the
answer is 401. Pages on the origins the deployment allows may call it from a browser (CORS);
bodies of 1 KB or more are gzip-compressed for callers that accept gzip; over the stage's
request rate, the answer is 429 (`throttled`).
Users in the `admin` group may call everything. Users in the `advisor` group (with the
attribute `custom:advisor_id`) may list and read advisors, and read their own book: their
clients, each client and its assignment history; another advisor's book or client is 404, and
assignments and imports are 403."""


SECURITY_SCHEME = "CognitoIdToken"


def _authorizer_header() -> str:
    """The header the API's default (Cognito) authorizer reads its token from."""
    (api,) = template.resources_of_type("AWS::Serverless::Api").values()
    auth = api["Properties"]["Auth"]
    authorizer = auth["Authorizers"][auth["DefaultAuthorizer"]]
    header: str = authorizer.get("Identity", {}).get("Header", "Authorization")
    return header


def _placeholder_refs() -> dict[str, str]:
    """What the functions' environments need to import; nothing is called."""
    return {name: f"placeholder-{name}" for name in template.load()["Resources"]}


def declared_operations() -> dict[str, set[tuple[str, str]]]:
    """Each function's declared routes, (method, path), as its resolver registered them: the
    one declaration the template's routes are checked against."""
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    declared = {}
    for function in template.functions().values():
        if function.routes:
            module, _ = load_handler(function.logical_id, _placeholder_refs())
            declared[function.logical_id] = set(module.app.access)
    return declared


def generate() -> str:
    """The whole API's document as formatted JSON."""
    from aws_lambda_powertools.event_handler.openapi.merge import OpenAPIMerge

    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    version = tomllib.loads((template.ROOT / "pyproject.toml").read_text())["project"]["version"]
    merge = OpenAPIMerge(
        title="advisor-book",
        version=version,
        description=DESCRIPTION,
        on_conflict="error",
    )
    for function in template.functions().values():
        if function.routes:
            module, _ = load_handler(function.logical_id, _placeholder_refs())
            merge.add_schema(module.app.get_openapi_schema())
    document: dict[str, Any] = json.loads(merge.get_openapi_json_schema())
    _drop_unreferenced_schemas(document)
    document.setdefault("components", {})["securitySchemes"] = {
        SECURITY_SCHEME: {
            "type": "apiKey",
            "in": "header",
            "name": _authorizer_header(),
            "description": "A Cognito ID token of the deployment's user pool. Against the "
            "local stack (make run), `make token` prints the admin's and "
            "`make token ADVISOR=<advisor id>` an advisor's.",
        }
    }
    document["security"] = [{SECURITY_SCHEME: []}]
    for operations in document["paths"].values():
        for operation in operations.values():
            if operation.get("x-access") == PUBLIC.describe():
                operation["security"] = []
    document["paths"] = dict(sorted(document["paths"].items()))
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _drop_unreferenced_schemas(document: dict[str, Any]) -> None:
    """Powertools registers its own validation-error schemas even when every route documents
    ours instead; keep only the schemas something refers to."""
    schemas: dict[str, Any] = document.get("components", {}).get("schemas", {})
    prefix = "#/components/schemas/"

    def references(node: Any) -> set[str]:
        if isinstance(node, dict):
            found = (
                {node["$ref"][len(prefix) :]}
                if str(node.get("$ref", "")).startswith(prefix)
                else set()
            )
            return found.union(*(references(v) for v in node.values()))
        if isinstance(node, list):
            return set().union(*(references(v) for v in node))
        return set()

    wanted = references(document.get("paths", {}))
    pending = list(wanted)
    while pending:
        for name in references(schemas.get(pending.pop(), {})) - wanted:
            wanted.add(name)
            pending.append(name)
    for name in set(schemas) - wanted:
        del schemas[name]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the file is not current")
    args = parser.parse_args(argv)
    current = generate()
    if args.check:
        if not DOCUMENT.exists() or DOCUMENT.read_text() != current:
            print(f"{DOCUMENT.relative_to(template.ROOT)} is stale: run `make openapi`")
            return 1
        return 0
    DOCUMENT.write_text(current)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(template.ROOT / "layers" / "shared"))
    sys.exit(main())
