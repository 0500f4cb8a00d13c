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

from advisor_book import auth
from local.harness import template
from local.harness.runtime import load_handler

DOCUMENT = template.ROOT / "functions" / "docs" / "openapi.json"
# The user pool domain's token endpoint, as the stack's UserPoolDomain output names it.
TOKEN_URL = "https://{domain}.auth.{region}.amazoncognito.com/oauth2/token"  # noqa: S105
SCOPE_DESCRIPTIONS: dict[auth.Scope, str] = {
    auth.READ: "Read the directory, every advisor's book, clients and their histories.",
    auth.ASSIGN: "Assign and unassign clients' advisors.",
    auth.IMPORT: "Follow seed-file imports and read their reports.",
}
DOCS_FUNCTION = "DocsFunction"
DESCRIPTION = """\
A wealth-management firm's book of business: financial advisors and their clients.

Money is an exact decimal in a JSON string with two decimals ("1234.50"), never a float.
Timestamps are RFC 3339 in UTC. Every error has the body
`{"error": {"code", "message", "details"?}}`. `next_token` values are opaque and signed:
pass them back unchanged, to the listing that returned them, as the same user.

Every operation but the health check needs the ID token of a user of the deployment's Cognito
user pool in the `Authorization` header (the token alone, or after `Bearer `); without a valid
one the answer is 401. Pages on the origins the deployment allows may call it from a browser (CORS);
bodies of 1 KB or more are gzip-compressed for callers that accept gzip; over the stage's
request rate, the answer is 429 (`throttled`).
Users in the `admin` group may call everything. Users in the `advisor` group (with the
attribute `custom:advisor_id`) may list and read advisors, and read their own book: their
clients, each client and its assignment history; another advisor's book or client is 404, and
assignments and imports are 403.

Services (an integrator's system) call with an access token of an app client of the pool
instead, obtained with the OAuth 2.0 client-credentials grant: each operation names the one
scope (`advisor-book/read`, `advisor-book/assign` or `advisor-book/import`) that lets a service
call it, and a token without that scope is 403 (a user's own access token is 401)."""


SECURITY_SCHEME = "CognitoIdToken"
SERVICE_SCHEME = "ServiceClientCredentials"


def _authorizer_header() -> str:
    """The header the API's default (Lambda TOKEN) authorizer reads its token from."""
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
    accesses: dict[tuple[str, str], auth.Access] = {}
    for function in template.functions().values():
        if function.routes:
            module, _ = load_handler(function.logical_id, _placeholder_refs())
            merge.add_schema(module.app.get_openapi_schema())
            accesses.update(module.app.access)
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
        },
        SERVICE_SCHEME: {
            "type": "oauth2",
            "description": "An access token of an integrator's app client (client-credentials "
            "grant), sent in `Authorization`. The token URL is the user pool domain's "
            "(`UserPoolDomain` output); against the local stack it is "
            "http://127.0.0.1:3000/oauth2/token, and `make token CLIENT=IntegratorClient` "
            "prints a token with every scope.",
            "flows": {
                "clientCredentials": {
                    "tokenUrl": TOKEN_URL,
                    "scopes": {
                        auth.scope_name(scope): SCOPE_DESCRIPTIONS[scope] for scope in auth.SCOPES
                    },
                }
            },
        },
    }
    document["security"] = [{SECURITY_SCHEME: []}]
    for (method, path), access in accesses.items():
        operation = document["paths"].get(path, {}).get(method.lower())
        if operation is None:
            continue
        if access.public:
            operation["security"] = []
        else:
            operation["security"] = [{SECURITY_SCHEME: []}] + (
                [{SERVICE_SCHEME: [auth.scope_name(access.service)]}] if access.service else []
            )
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
