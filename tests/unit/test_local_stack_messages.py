"""What the local stack tells its user: the banner `make run` prints once ready, and what
`make token` answers when the stack is not where it looks."""

import http.server
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest

from local.harness import template
from local.stack.run import DEFAULT_SEED_BUCKET, StackSettings, _banner
from tests.conftest import ROOT

IMPORTED = {
    "status": "SUCCEEDED",
    "advisors_upserted": 14,
    "clients_upserted": 72,
    "rejected": 0,
    "import_id": "imp-0123456789abcdef01234567",
}


def banner(aws_port: int = 5000, api_port: int = 3000, bucket: str = DEFAULT_SEED_BUCKET) -> str:
    settings = StackSettings(
        aws_port=aws_port,
        api_port=api_port,
        seed_bucket=bucket,
        seed_file="data.json",
        read_timeout=30,
    )
    return _banner(settings, IMPORTED, "header.payload.signature")


# --- The banner ---------------------------------------------------------------------------------


def test_the_banner_lists_the_declared_routes_and_not_the_catch_all_ones() -> None:
    printed = banner()

    declared = template.operations()
    assert declared
    for route in declared:
        assert f"    {route.method:<6} http://127.0.0.1:3000{route.path}\n" in printed
    assert "ANY" not in printed
    assert "OPTIONS" not in printed


def test_the_banner_imports_a_file_with_a_command_that_needs_no_aws_configuration() -> None:
    lines = banner().splitlines()

    assert "  make import FILE=my-book.json" in lines
    assert not [line for line in lines if "aws " in line or "s3 cp" in line]
    assert "`make token` or `make token ADVISOR=adv-001`" in " ".join(lines)


def test_on_other_settings_the_banners_commands_carry_them() -> None:
    printed = banner(aws_port=5001, api_port=3001, bucket="other-seed")

    assert "`LOCAL_AWS_PORT=5001 make token`" in printed
    assert "`LOCAL_AWS_PORT=5001 make token ADVISOR=adv-001`" in printed
    assert (
        "  LOCAL_AWS_PORT=5001 LOCAL_SEED_BUCKET=other-seed make import FILE=my-book.json\n"
        in printed
    )
    assert "curl http://127.0.0.1:3001/advisors " in printed
    assert "5000" not in printed
    assert "3000" not in printed


# --- make token away from the stack -------------------------------------------------------------


def make_token(port: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "local.stack.token"],
        cwd=ROOT,
        env={**os.environ, "LOCAL_AWS_PORT": str(port)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_make_token_names_the_port_where_nothing_answers_and_how_to_point_it_elsewhere() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    answer = make_token(port)

    assert (answer.returncode, answer.stdout) == (1, "")
    assert f"nothing answers on 127.0.0.1:{port}" in answer.stderr
    assert f"(LOCAL_AWS_PORT={port})" in answer.stderr
    assert "Start it with make run" in answer.stderr
    assert "give make token the same: LOCAL_AWS_PORT=<port> make token" in answer.stderr


class NotTheEmulator(http.server.BaseHTTPRequestHandler):
    """Another program on the port (on macOS, port 5000 is AirPlay's): it refuses everything."""

    def do_POST(self) -> None:
        self.send_response(403)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def other_server() -> Iterator[int]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), NotTheEmulator)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_make_token_says_when_what_answers_on_the_port_is_not_the_stack(other_server: int) -> None:
    answer = make_token(other_server)

    assert answer.returncode == 1
    assert (
        f"something answers on 127.0.0.1:{other_server}, but not as the local stack's AWS "
        "emulator" in answer.stderr
    )
    assert "give make token the same: LOCAL_AWS_PORT=<port> make token" in answer.stderr
