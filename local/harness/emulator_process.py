"""moto server in a process of its own, for measurements and tests that keep its memory and
CPU apart from their own (the local stack embeds it instead: local.stack.emulator). Importing
this module imports nothing of moto, so a measured child that imports it stays lean.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def emulator_process(*, local: bool = False) -> Iterator[str]:
    """Start moto server on a free port; yields its URL. With `local`, the local stack's own
    emulator (local.stack.emulator: DynamoDB requests one at a time, transactions that back up
    only their items) instead of moto's plain server."""
    port = free_port()
    command = (
        [sys.executable, "-m", "local.stack.emulator", str(port)]
        if local
        else [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)]
    )
    process = subprocess.Popen(  # noqa: S603
        command,
        cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(url + "/moto-api/", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def reset(url: str) -> None:
    """Empty the emulator at `url` of every resource."""
    request = urllib.request.Request(url + "/moto-api/reset", method="POST")  # noqa: S310
    urllib.request.urlopen(request, timeout=10).close()  # noqa: S310


REGION = "us-east-1"


def use_emulator(url: str) -> None:
    """Every boto3 client of this process, and of the processes it starts, talks to the
    emulator at `url` with credentials that could never reach AWS."""
    os.environ.update(
        {
            "AWS_ENDPOINT_URL": url,
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
            # Metrics would print CloudWatch EMF documents on every call; locally they are noise.
            "POWERTOOLS_METRICS_DISABLED": "true",
        }
    )
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        os.environ.pop(name, None)
