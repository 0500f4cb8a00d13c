"""`make run` (`python -m local.stack`): the whole product on a laptop, with no Docker and no
AWS account.

Starts moto server as the AWS emulator, creates the template's resources in it, serves the
template's API routes from the functions' own handlers (behind the template's Lambda
authorizer, run as a function too), delivers seed-bucket uploads to the ingest function,
imports data.json, creates an admin user and one user per advisor, and serves until
interrupted.
"""

import logging
import os
import signal
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import boto3

from local.harness import template
from local.harness.provision import provision
from local.stack import cognito
from local.stack.api_server import LocalApiServer, serve
from local.stack.emulator import Emulator
from local.stack.gateway import LocalApiGateway
from local.stack.instances import FunctionPool
from local.stack.notifications import Trigger, connect_triggers

HOST = "127.0.0.1"
REGION = "us-east-1"
IMPORT_WAIT_SECONDS = 300
DEFAULT_AWS_PORT = 5000
DEFAULT_API_PORT = 3000
DEFAULT_SEED_BUCKET = "advisor-book-seed"
# Pages served from this machine, on any port, may call the local API.
DEFAULT_CORS_ORIGINS = "http://localhost:*,http://127.0.0.1:*"


@dataclass
class StackSettings:
    aws_port: int = field(
        default_factory=lambda: int(os.environ.get("LOCAL_AWS_PORT", DEFAULT_AWS_PORT))
    )
    api_port: int = field(
        default_factory=lambda: int(os.environ.get("LOCAL_API_PORT", DEFAULT_API_PORT))
    )
    seed_bucket: str = field(
        default_factory=lambda: os.environ.get("LOCAL_SEED_BUCKET", DEFAULT_SEED_BUCKET)
    )
    seed_file: str = field(default_factory=lambda: os.environ.get("LOCAL_SEED_FILE", "data.json"))
    read_timeout: int = field(
        default_factory=lambda: int(os.environ.get("LOCAL_API_READ_TIMEOUT", "30"))
    )
    cors_origins: str = field(
        default_factory=lambda: os.environ.get("LOCAL_CORS_ORIGINS", DEFAULT_CORS_ORIGINS)
    )

    @property
    def aws_url(self) -> str:
        return f"http://{HOST}:{self.aws_port}"

    @property
    def api_url(self) -> str:
        return f"http://{HOST}:{self.api_port}"

    def make(self, command: str) -> str:
        """A make command that reaches this stack, with the settings it needs when they are
        not the defaults (make token and make import read the same variables)."""
        needed = []
        if self.aws_port != DEFAULT_AWS_PORT:
            needed.append(f"LOCAL_AWS_PORT={self.aws_port}")
        if command.startswith("make import") and self.seed_bucket != DEFAULT_SEED_BUCKET:
            needed.append(f"LOCAL_SEED_BUCKET={self.seed_bucket}")
        return " ".join([*needed, command])


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


def _use_emulator(settings: StackSettings) -> None:
    """Every boto3 client of this process, handlers included, talks to the emulator."""
    os.environ.update(
        {
            "AWS_ENDPOINT_URL": settings.aws_url,
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
            # Metrics would print CloudWatch EMF documents on every call; locally they are noise.
            "POWERTOOLS_METRICS_DISABLED": "true",
        }
    )
    os.environ.pop("AWS_PROFILE", None)
    os.environ.pop("AWS_SESSION_TOKEN", None)


def import_seed_file(
    settings: StackSettings, refs: dict[str, str], stopping: threading.Event
) -> dict[str, Any] | None:
    """Upload the seed file like any user would and wait for the ingest to report on it
    (None if the stack is stopped first)."""
    from advisor_book.store.core import Table
    from advisor_book.store.imports import ImportStore

    imports = ImportStore(Table(boto3.client("dynamodb"), refs["BookTable"]))
    uploaded_at = datetime.now(UTC).replace(microsecond=0)
    with open(template.ROOT / settings.seed_file, "rb") as seed:
        boto3.client("s3").put_object(
            Bucket=settings.seed_bucket, Key=settings.seed_file, Body=seed.read()
        )
    deadline = time.monotonic() + IMPORT_WAIT_SECONDS
    while time.monotonic() < deadline:
        latest = imports.newest(key=settings.seed_file, limit=1, start=None).items
        if latest and latest[0].started_at >= uploaded_at and latest[0].status != "IN_PROGRESS":
            return latest[0].model_dump(mode="json")
        if stopping.wait(0.2):
            return None
    raise RuntimeError(f"the import of {settings.seed_file} did not finish in time")


def _advisor_ids(refs: dict[str, str]) -> list[str]:
    from advisor_book.store.core import Table
    from advisor_book.store.directory import DirectoryStore

    directory = DirectoryStore(Table(boto3.client("dynamodb"), refs["BookTable"]))
    ids: list[str] = []
    start = None
    while True:
        page = directory.advisors(include_unavailable=True, focus_area=None, limit=100, start=start)
        ids.extend(a.advisor_id for a in page.items)
        start = page.next_key
        if start is None:
            return ids


def _banner(settings: StackSettings, imported: dict[str, Any], admin_token: str) -> str:
    """What make run prints once ready: the routes (without the catch-all ANY routes that
    answer undeclared methods with 405), the import of the seed file, and commands to paste."""
    api, aws, bucket = settings.api_url, settings.aws_url, settings.seed_bucket
    routes = "\n".join(f"    {r.method:<6} {api}{r.path}" for r in template.operations())
    token, advisor_token = settings.make("make token"), settings.make("make token ADVISOR=adv-001")
    return f"""
advisor-book is running locally
  API  {api}   (the routes of template.yaml)
{routes}
  AWS  {aws}   (moto: table BookTable, seed bucket {bucket})

Imported {settings.seed_file}: {imported["status"]}, {imported["advisors_upserted"]} advisors, \
{imported["clients_upserted"]} clients, {imported["rejected"]} rejected ({imported["import_id"]})

Every route but /openapi.json, /swagger and /health needs an ID token (users: admin, and one
per advisor named by its id; `{token}` or `{advisor_token}` prints a fresh one) or a
service's access token (`{settings.make("make token CLIENT=IntegratorClient")}`).
Try, as the admin (this token is valid for an hour):
  export TOKEN={admin_token}
  curl {api}/advisors -H "Authorization: $TOKEN"
  curl '{api}/advisors?focus_area=tax%20planning&include_unavailable=true' \\
       -H "Authorization: $TOKEN"
  curl -X PUT {api}/clients/cli-0001/advisor -H "Authorization: $TOKEN" \\
       -H 'Content-Type: application/json' -d '{{"advisor_id": "adv-001"}}'
  curl {api}/advisors/adv-001/clients -H "Authorization: $TOKEN"
Import another seed file and watch it to its end (no AWS configuration needed):
  {settings.make("make import FILE=my-book.json")}
  curl '{api}/imports?key=my-book.json' -H "Authorization: $TOKEN"

ready: Ctrl-C to stop
"""


def _busy_port(settings: StackSettings) -> str | None:
    """Why the stack cannot start on its ports (one is taken), or None: said before anything
    starts, so nothing is left half running."""
    for name, port in (
        ("LOCAL_AWS_PORT", settings.aws_port),
        ("LOCAL_API_PORT", settings.api_port),
    ):
        if not _port_is_free(port):
            return f"port {port} is in use; set {name} to another port"
    return None


def _stop(
    server: LocalApiServer | None,
    drains: list[Trigger],
    pools: dict[str, FunctionPool],
    emulator: Emulator,
) -> None:
    """Stop in the reverse order of the start: no new request, then no new trigger, then the
    functions, then the emulator they talk to."""
    if server is not None:
        server.stop()
    for drain in drains:
        drain.stop()
    for drain in drains:
        drain.join(timeout=5)
    for pool in pools.values():
        pool.stop()
    emulator.stop()


def main() -> int:
    settings = StackSettings()
    busy = _busy_port(settings)
    if busy is not None:
        print(f"error: {busy}", file=sys.stderr)
        return 1
    sys.path.insert(0, str(template.ROOT / "layers" / "shared"))
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # the emulator's access log
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # busy moments are expected
    emulator = Emulator(HOST, settings.aws_port)
    emulator.start()
    _use_emulator(settings)
    stopping = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.set())
    server: LocalApiServer | None = None
    pools: dict[str, FunctionPool] = {}
    drains: list[Trigger] = []
    try:
        # The template's CorsAllowedOrigins parameter, for the functions and the gateway.
        refs = {**provision(settings.seed_bucket), "CorsAllowedOrigins": settings.cors_origins}
        overrides = cognito.authorizer_overrides(settings.aws_url, refs)
        pools = {
            f.logical_id: FunctionPool(f, refs, overrides=overrides.get(f.logical_id))
            for f in template.functions().values()
        }
        drains = connect_triggers(refs, pools)
        for drain in drains:
            drain.start()
        gateway = LocalApiGateway(
            pools,
            stage=template.parameter_default("Stage"),
            token_endpoint=cognito.token_endpoint(settings.aws_url, REGION, refs),
            refs=refs,
        )
        api_functions = {route.function for route in template.routes()}
        server = serve(gateway, HOST, settings.api_port, len(api_functions), settings.read_timeout)
        server.start()
        imported = import_seed_file(settings, refs, stopping)
        if imported is not None:
            cognito.seed_users(_advisor_ids(refs))
            print(_banner(settings, imported, cognito.id_token(cognito.ADMIN_USER)), flush=True)
            # Never block without a timeout: a signal may land on any thread, and Python runs
            # its handler in the main thread only once that thread runs again.
            while not stopping.wait(timeout=1):
                pass
    finally:
        print("stopping...", flush=True)
        _stop(server, drains, pools, emulator)
    print("stopped", flush=True)
    return 0
