"""The local stack (`make run`) started as a user would, on free ports, for tests over HTTP."""

import base64
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import boto3
import pytest

from local.harness.checker import check_table
from tests.conftest import ROOT

READY_WITHIN_SECONDS = 120
# A safety net, not a measure: a busy machine may take long to answer, and only a stack that
# stopped answering altogether should fail a test.
REQUEST_TIMEOUT = 300
SERVICE_CLIENT = "IntegratorClient"  # the template's app client of services
TABLE = "BookTable"  # the local stack names each table by its logical id
# How long a throttled request waits before it is sent again (the stage refills 100 a second).
THROTTLED_PAUSE_SECONDS = 0.05


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/e2e is marked e2e, so that `-m "not e2e"` leaves them out."""
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.e2e)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: Any

    def header(self, name: str) -> str | None:
        """A header's value whatever the case its name was sent in (waitress writes `Etag`)."""
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)


@dataclass
class LocalStack:
    process: subprocess.Popen[str]
    api_url: str
    aws_url: str
    bucket: str
    output: list[str]
    tokens: dict[str, str] = field(default_factory=dict)
    _token_lock: threading.Lock = field(default_factory=threading.Lock)

    def token(self, user: str = "admin") -> str:
        """An ID token of a local user ("admin", or an advisor's id), from `make token`'s
        command, fetched once per user."""
        if user not in self.tokens:
            command = [sys.executable, "-m", "local.stack.token"]
            if user != "admin":
                command += ["--advisor", user]
            port = self.aws_url.rsplit(":", 1)[1]
            printed = subprocess.run(  # noqa: S603
                command,
                cwd=ROOT,
                env={**os.environ, "LOCAL_AWS_PORT": port},
                capture_output=True,
                text=True,
                check=True,
            )
            self.tokens[user] = printed.stdout.strip()
        return self.tokens[user]

    def service_token(self, *scopes: str) -> str:
        """An access token of the template's IntegratorClient with `scopes` (each a scope's name
        without the resource server: "read"), from the stack's token endpoint as an integrator
        gets one, fetched once per set of scopes."""
        key = "service:" + " ".join(sorted(scopes))
        with self._token_lock:
            if key not in self.tokens:
                self.tokens[key] = self._client_credentials(
                    " ".join(f"advisor-book/{scope}" for scope in sorted(scopes))
                )
            return self.tokens[key]

    def _client_credentials(self, scope: str) -> str:
        cognito = self.aws("cognito-idp")
        (pool,) = cognito.list_user_pools(MaxResults=10)["UserPools"]
        listed = cognito.list_user_pool_clients(UserPoolId=pool["Id"])["UserPoolClients"]
        (client_id,) = [c["ClientId"] for c in listed if c["ClientName"] == SERVICE_CLIENT]
        described = cognito.describe_user_pool_client(UserPoolId=pool["Id"], ClientId=client_id)
        form = {"grant_type": "client_credentials", "scope": scope}
        request = urllib.request.Request(  # noqa: S310
            self.api_url + "/oauth2/token", data=urlencode(form).encode(), method="POST"
        )
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        secret = described["UserPoolClient"]["ClientSecret"]
        basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
        request.add_header("Authorization", f"Basic {basic}")
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:  # noqa: S310
            token: str = json.loads(response.read())["access_token"]
        return token

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        raw: bytes | None = None,
        *,
        user: str | None = "admin",
        authorization: str | None = None,
        content_type: str = "application/json",
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        """One HTTP request to the API, signed in as `user` (None: no token) unless
        `authorization` gives the header's value itself, with any other `headers`. A 429 is
        retried after a pause, as any client of a throttled stage must: tests that send many
        requests at once stay within the template's rate without each one knowing it."""
        while True:
            reply = self._send(method, path, body, raw, user, authorization, content_type, headers)
            if reply.status != HTTPStatus.TOO_MANY_REQUESTS:
                return reply
            time.sleep(THROTTLED_PAUSE_SECONDS)

    def _send(
        self,
        method: str,
        path: str,
        body: Any,
        raw: bytes | None,
        user: str | None,
        authorization: str | None,
        content_type: str,
        headers: Mapping[str, str] | None,
    ) -> Reply:
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(self.api_url + path, data=data, method=method)  # noqa: S310
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        if data is not None:
            request.add_header("Content-Type", content_type)
        if authorization is None and user is not None:
            authorization = self.token(user)
        if authorization is not None:
            request.add_header("Authorization", authorization)
        try:
            with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:  # noqa: S310
                payload = response.read()
                status, headers = response.status, dict(response.headers)
        except urllib.error.HTTPError as error:
            payload, status, headers = error.read(), error.code, dict(error.headers)
        if not payload:
            return Reply(status, headers, None)
        is_json = "json" in headers.get("Content-Type", "application/json")
        return Reply(status, headers, json.loads(payload) if is_json else payload.decode())

    def aws(self, service: str) -> Any:
        """A client of the stack's emulator."""
        return boto3.client(
            service,  # type: ignore[call-overload]  # any service, not one of the typed names
            endpoint_url=self.aws_url,
            region_name="us-east-1",
            aws_access_key_id="local",
            aws_secret_access_key="local",
        )

    def s3(self) -> Any:
        return self.aws("s3")

    def broken_invariants(self, *, strict_capacity: bool = True) -> list[str]:
        """What the table checker finds wrong in the stack's whole table (nothing, we hope)."""
        return check_table(self.aws("dynamodb"), TABLE, strict_capacity=strict_capacity)

    def wait_for_import(self, key: str, within: float = 60) -> dict[str, Any]:
        """Poll GET /imports?key=... until the newest import of the key has finished."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            items = self.request("GET", f"/imports?key={key}").body["items"]
            if items and items[0]["status"] != "IN_PROGRESS":
                finished: dict[str, Any] = items[0]
                return finished
            time.sleep(0.1)
        raise AssertionError(f"no finished import of {key}")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=30)
        finally:
            if self.process.stdout is not None:
                self.process.stdout.close()


def _keep_reading(stack: LocalStack) -> None:
    assert stack.process.stdout is not None
    for line in stack.process.stdout:
        stack.output.append(line)


def start_stack(api_port: int, aws_port: int) -> LocalStack:
    environment = {
        **os.environ,
        "LOCAL_API_PORT": str(api_port),
        "LOCAL_AWS_PORT": str(aws_port),
        "LOCAL_SEED_BUCKET": "advisor-book-seed",
    }
    environment.pop("LOCAL_CORS_ORIGINS", None)  # make run's default: any localhost port
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", "local.stack"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    stack = LocalStack(
        process,
        f"http://127.0.0.1:{api_port}",
        f"http://127.0.0.1:{aws_port}",
        "advisor-book-seed",
        [],
    )
    deadline = time.monotonic() + READY_WITHIN_SECONDS
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        stack.output.append(line)
        if line.startswith("ready:"):
            # Keep reading, so a full pipe can never block the stack's output.
            threading.Thread(target=_keep_reading, args=(stack,), daemon=True).start()
            return stack
    stack.stop()
    raise AssertionError("the local stack did not become ready:\n" + "".join(stack.output))


@pytest.fixture(scope="session")
def stack() -> Iterator[LocalStack]:
    running = start_stack(free_port(), free_port())
    yield running
    assert running.stop() == 0


@pytest.fixture(scope="module")
def invariants_checked(stack: LocalStack) -> Iterator[None]:
    """For a module that writes to the shared stack: once its tests are done, the checker reads
    the whole table and every invariant must hold. Imports may have lowered capacities."""
    yield
    assert stack.broken_invariants(strict_capacity=False) == []
