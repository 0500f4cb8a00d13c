"""DynamoDB requests per API call and warm latency per route, through the real handlers.

    python -m bench.handlers --out handlers.json

Everything runs in this process against moto (in-process, `mock_aws`): the template's
resources are created, data.json is uploaded to the seed bucket and imported by the ingest
handler, and each API function's handler is loaded as Lambda loads it (its environment from the
template). DynamoDB requests are counted with a botocore event hook ("before-send.dynamodb",
one per HTTP request, retries included) registered on the botocore session every client of the
functions comes from (`advisor_book.config.session`).
"""

import argparse
import json
import os
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench import ROOT

BUCKET = "advisor-book-seed"
REGION = "us-east-1"

Call = Callable[[dict[str, Any]], dict[str, Any]]
PREFERENCES = "/advisors/{advisor_id}/notification-preferences"
PREFERENCES_BODY: dict[str, Any] = {
    "email": "advisor@example.com",
    "event_types": ["client.assigned"],
}


class RequestCounter:
    """Counts DynamoDB HTTP requests, by operation, between resets."""

    def __init__(self) -> None:
        self.operations: Counter[str] = Counter()

    def __call__(self, **event: Any) -> None:
        target = event["request"].headers.get("X-Amz-Target", b"")
        if isinstance(target, bytes):
            target = target.decode()
        self.operations[target.rsplit(".", 1)[-1] or "?"] += 1

    @contextmanager
    def counting(self) -> Iterator[Counter[str]]:
        self.operations = Counter()
        yield self.operations


def _aws_environment() -> None:
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
        os.environ.pop(name, None)
    os.environ.update(
        {
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_SESSION_TOKEN": "bench",
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
        }
    )


class Functions:
    """The template's functions, each loaded once as a Lambda instance would be."""

    def __init__(self, refs: dict[str, str]) -> None:
        self._refs = refs
        self._loaded: dict[str, Call] = {}

    def get(self, logical_id: str) -> Call:
        if logical_id not in self._loaded:
            from local.harness import template
            from local.harness.runtime import LambdaContext, load_handler

            function = template.functions()[logical_id]
            for other in template.functions().values():
                for name in other.environment:
                    os.environ.pop(name, None)
            handler = load_handler(logical_id, self._refs)[1]

            def call(event: dict[str, Any]) -> dict[str, Any]:
                context = LambdaContext(
                    function_name=logical_id,
                    memory_limit_in_mb=function.memory_mb,
                    timeout_seconds=function.timeout_seconds,
                )
                response: dict[str, Any] = handler(event, context)
                return response

            self._loaded[logical_id] = call
        return self._loaded[logical_id]


class Api:
    """Calls routes of the template through their functions, as API Gateway would."""

    def __init__(self, functions: Functions) -> None:
        from local.harness import template

        self._functions = functions
        self.routes = {(r.method, r.path): r.function for r in template.routes()}

    def event(
        self,
        method: str,
        resource: str,
        path_parameters: dict[str, str],
        *,
        query: dict[str, str] | None = None,
        body: Any = None,
    ) -> dict[str, Any]:
        from local.harness.events import ADMIN_CLAIMS, api_event

        text = json.dumps(body) if body is not None else None
        return api_event(
            method,
            resource,
            path_parameters=path_parameters,
            query={k: [v] for k, v in (query or {}).items()},
            headers={"Content-Type": ["application/json"]} if text is not None else {},
            body=text,
            claims=ADMIN_CLAIMS,
        )

    def send(self, method: str, resource: str, event: dict[str, Any]) -> dict[str, Any]:
        return self._functions.get(self.routes[(method, resource)])(event)

    def call(
        self,
        method: str,
        resource: str,
        *,
        expect: int = 200,
        query: dict[str, str] | None = None,
        body: Any = None,
        **path_parameters: str,
    ) -> Any:
        event = self.event(method, resource, path_parameters, query=query, body=body)
        response = self.send(method, resource, event)
        if response["statusCode"] != expect:
            raise RuntimeError(
                f"{method} {resource}: {response['statusCode']} {response.get('body')}"
            )
        return json.loads(response["body"]) if response.get("body") else None


def import_seed(functions: Functions, seed: Path) -> str:
    """Upload the seed file and import it through the ingest handler; returns the import id."""
    import boto3

    from local.harness.events import s3_put_event

    s3 = boto3.client("s3")
    s3.upload_file(str(seed), BUCKET, seed.name)
    version_id = s3.head_object(Bucket=BUCKET, Key=seed.name).get("VersionId")
    result = functions.get("IngestFunction")(s3_put_event(BUCKET, seed.name, version_id=version_id))
    (outcome,) = result["imports"]
    if outcome["status"] != "SUCCEEDED":
        raise RuntimeError(f"seed import ended {outcome['status']}")
    import_id: str = outcome["import_id"]
    return import_id


def _calls(
    api: Api, first: str, second: str, member_id: str, mover: str, name_prefix: str
) -> dict[str, Callable[[], Any]]:
    """One call of each kind, in the order they are counted: the reads, then `mover` assigned
    to `first`, moved to `second` and unassigned."""
    return {
        "list_advisors": lambda: api.call("GET", "/advisors", query={"limit": "5"}),
        "get_advisor": lambda: api.call("GET", "/advisors/{advisor_id}", advisor_id=first),
        "list_advisor_clients": lambda: api.call(
            "GET", "/advisors/{advisor_id}/clients", query={"limit": "2"}, advisor_id=first
        ),
        "list_clients": lambda: api.call("GET", "/clients", query={"limit": "2"}),
        "list_unassigned_clients": lambda: api.call(
            "GET", "/clients", query={"unassigned": "true", "limit": "2"}
        ),
        "find_clients_by_name": lambda: api.call(
            "GET", "/clients", query={"name": name_prefix, "limit": "2"}
        ),
        "find_advisor_clients_by_name": lambda: api.call(
            "GET", "/clients", query={"advisor_id": first, "name": name_prefix, "limit": "2"}
        ),
        "get_client": lambda: api.call("GET", "/clients/{client_id}", client_id=member_id),
        "get_notification_preferences": lambda: api.call("GET", PREFERENCES, advisor_id=first),
        "put_notification_preferences": lambda: api.call(
            "PUT", PREFERENCES, body=PREFERENCES_BODY, advisor_id=first
        ),
        "suggest_advisors": lambda: api.call(
            "GET",
            "/clients/{client_id}/advisor-suggestions",
            query={"focus_area": "Retirement Planning"},
            client_id=mover,
        ),
        "assign": lambda: api.call(
            "PUT", "/clients/{client_id}/advisor", body={"advisor_id": first}, client_id=mover
        ),
        "reassign": lambda: api.call(
            "PUT", "/clients/{client_id}/advisor", body={"advisor_id": second}, client_id=mover
        ),
        "unassign": lambda: api.call(
            "DELETE", "/clients/{client_id}/advisor", expect=204, client_id=mover
        ),
    }


def _checks(first: str) -> dict[str, Callable[[Any], bool]]:
    """What a call must answer for its count to be the case it names: a page with a next
    page, a ranking of five, an assignment that did (or did not) replace `first`."""
    return {
        "list_advisors": lambda page: len(page["items"]) == 5 and page["next_token"] is not None,
        "list_advisor_clients": lambda page: (
            len(page["items"]) == 2 and page["next_token"] is not None
        ),
        "list_clients": lambda page: len(page["items"]) == 2 and page["next_token"] is not None,
        "list_unassigned_clients": lambda page: (
            len(page["items"]) == 2 and page["next_token"] is not None
        ),
        "find_clients_by_name": lambda page: len(page["items"]) >= 1,
        "suggest_advisors": lambda ranking: len(ranking["items"]) == 5,
        "put_notification_preferences": lambda stored: stored["email"] is not None,
        "assign": lambda body: body["previous_advisor_id"] is None,
        "reassign": lambda body: body["previous_advisor_id"] == first,
    }


def count_requests(api: Api, counter: RequestCounter, client_ids: list[str]) -> dict[str, Any]:
    """DynamoDB requests of one call of each kind, in the uncontended case."""
    available = api.call("GET", "/advisors", query={"limit": "100"})["items"]
    first, second = available[0]["advisor_id"], available[1]["advisor_id"]
    members, mover = client_ids[:3], client_ids[3]
    member = api.call("GET", "/clients/{client_id}", client_id=members[0])
    name_prefix = member["last_name"]  # finds that member (and any namesake) by its last name
    for client_id in members:  # so that the advisor's client listing has more than one page
        api.call(
            "PUT", "/clients/{client_id}/advisor", body={"advisor_id": first}, client_id=client_id
        )

    checks = _checks(first)
    counts: dict[str, int] = {}
    operations: dict[str, dict[str, int]] = {}
    for name, call in _calls(api, first, second, members[0], mover, name_prefix).items():
        with counter.counting() as seen:
            result = call()
        if name in checks and not checks[name](result):
            raise RuntimeError(f"{name}: unexpected response {result}")
        counts[name] = sum(seen.values())
        operations[name] = dict(seen)
    return {"counts": counts, "operations": operations, "advisors": [first, second]}


def _percentile(values: list[float], percent: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


def _nothing(_: int) -> None:
    return None


def _preferences_body(_: int) -> dict[str, Any]:
    return PREFERENCES_BODY


def measure_latency(
    api: Api, advisors: list[str], client_ids: list[str], import_id: str, calls: int
) -> dict[str, dict[str, float]]:
    """Warm in-process latency of each API route, p50 and p99 over `calls` calls.

    Every PUT moves one client between two advisors (a reassignment each time); every DELETE
    is preceded, outside the timing, by such a PUT, so that it always removes an advisor.
    """
    first, second = advisors
    reader, mover = client_ids[0], client_ids[5]
    path_parameters = {"advisor_id": first, "client_id": reader, "import_id": import_id}

    def alternate(n: int) -> dict[str, str]:
        return {"advisor_id": first if n % 2 else second}

    def assign_mover(n: int) -> None:
        api.call("PUT", "/clients/{client_id}/advisor", body=alternate(n), client_id=mover)

    latency: dict[str, dict[str, float]] = {}
    for method, resource in api.routes:
        if method in ("ANY", "OPTIONS"):  # the docs function's 405s and CORS preflights
            continue
        names = [p.strip("{}") for p in resource.split("/") if p.startswith("{")]
        parameters = {name: path_parameters[name] for name in names}
        expect = 204 if method == "DELETE" else 200
        body: Callable[[int], Any] = _nothing
        setup: Callable[[int], None] = _nothing
        if resource == PREFERENCES and method == "PUT":
            body = _preferences_body
        elif method in ("PUT", "DELETE"):
            parameters["client_id"] = mover
            body, setup = (alternate, _nothing) if method == "PUT" else (_nothing, assign_mover)
        samples: list[float] = []
        for n in range(calls + 5):
            setup(n)
            event = api.event(method, resource, parameters, body=body(n))
            started = time.perf_counter()
            response = api.send(method, resource, event)
            elapsed = (time.perf_counter() - started) * 1000
            if response["statusCode"] != expect:
                raise RuntimeError(f"{method} {resource}: {response['statusCode']}")
            if n >= 5:  # the first calls warm the function's caches
                samples.append(elapsed)
        latency[f"{method} {resource}"] = {
            "p50": round(statistics.median(samples), 2),
            "p99": round(_percentile(samples, 99), 2),
        }
    return latency


def measure(seed: Path = ROOT / "data.json", latency_calls: int = 200) -> dict[str, Any]:
    """`ddb_requests` and `latency_ms`, plus the operations behind each count."""
    _aws_environment()
    from moto import mock_aws

    from advisor_book import config
    from local.harness.provision import provision

    with mock_aws():
        counter = RequestCounter()
        # The functions' clients all come from this session.
        config.session().register("before-send.dynamodb", counter)
        refs = provision(BUCKET)
        functions = Functions(refs)
        import_id = import_seed(functions, seed)
        client_ids = [c["id"] for c in json.loads(seed.read_text())["clients"]]
        api = Api(functions)
        counted = count_requests(api, counter, client_ids)
        latency = measure_latency(api, counted["advisors"], client_ids, import_id, latency_calls)
    return {
        "ddb_requests": counted["counts"],
        "ddb_operations": counted["operations"],
        "latency_ms": latency,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write the JSON here (default standard output)")
    parser.add_argument("--calls", type=int, default=200, help="calls per route (default 200)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "layers" / "shared"))
    result = json.dumps(measure(latency_calls=args.calls), indent=2)
    if args.out is None:
        print(result)
    else:
        args.out.write_text(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
