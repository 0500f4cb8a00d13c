"""`make bench`: cold starts, DynamoDB round trips, ingest throughput and memory, latency.

Every measurement that needs a process of its own runs as a child that prints its result as
its last line of output.
"""

import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child_result(arguments: Sequence[str], environment: Mapping[str, str], what: str) -> str:
    """Run `python <arguments>` in the project folder; its last line of output."""
    child = subprocess.run(  # noqa: S603
        [sys.executable, *arguments],
        env=dict(environment),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if child.returncode != 0:
        raise RuntimeError(f"{what} failed:\n{child.stderr[-4000:]}")
    return child.stdout.strip().splitlines()[-1]
