"""`make bench`: cold starts, DynamoDB round trips, ingest throughput and memory, latency.

Every measurement that needs a process of its own runs as a child that prints its result as
its last line of output.
"""

import resource
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


def peak_rss_mb() -> float:
    """This program's peak resident memory, in MB (2^20 bytes).

    Linux's VmHWM, which is this program's own: ru_maxrss would also count the RSS that the
    process which started this one had when it forked (Linux keeps it across exec).
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
