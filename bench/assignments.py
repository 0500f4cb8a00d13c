"""Assignment latency as the book grows: PUT /clients/{client_id}/advisor through the assignments
function's handler against the local stack's emulator, with a small book and a large one.

    python -m bench.assignments --clients 2000 200000 [--calls 200]

For each size the emulator (local.stack.emulator as `make run` embeds it, here in a process of its
own) is reset, the template's resources are created and a synthetic seed file is imported by
the ingest handler (as in bench.ingest). Then, in a fresh process with the function's own
environment from the template, the handler moves clients spread over the whole book back and
forth between two advisors: each call a reassignment (one read and one TransactWriteItems over
the client, both advisors and the memberships), timed from event in to response out, after a
few calls that warm the function.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench import ROOT, child_result, ingest
from local.harness.emulator_process import emulator_process

# local.tools.generate_seed: every fifth advisor has no capacity, and these two accept new clients.
ADVISORS = ("adv-000005", "adv-000010")
MOVERS = 20
WARMUP_CALLS = 5
SMALL_BOOK = 2_000


def movers(clients: int) -> list[str]:
    """Client ids spread evenly over a generated book of `clients` clients."""
    return [f"cli-{1 + n * (clients // MOVERS):07d}" for n in range(MOVERS)]


def run(refs: dict[str, str], clients: int, calls: int) -> dict[str, Any]:
    """In this process, as in a warm Lambda instance: time `calls` reassignments."""
    sys.path.insert(0, str(ROOT / "layers" / "shared"))
    from local.harness import template
    from local.harness.events import ADMIN_CLAIMS, api_event
    from local.harness.runtime import LambdaContext, load_handler

    function = template.functions()["AssignmentsFunction"]
    _, handler = load_handler("AssignmentsFunction", refs)

    def assign(client_id: str, advisor_id: str) -> float:
        event = api_event(
            "PUT",
            "/clients/{client_id}/advisor",
            path_parameters={"client_id": client_id},
            headers={"Content-Type": ["application/json"]},
            body=json.dumps({"advisor_id": advisor_id}),
            claims=ADMIN_CLAIMS,
        )
        context = LambdaContext(
            function_name="AssignmentsFunction",
            memory_limit_in_mb=function.memory_mb,
            timeout_seconds=function.timeout_seconds,
        )
        started = time.perf_counter()
        response = handler(event, context)
        elapsed = (time.perf_counter() - started) * 1000
        if response["statusCode"] != 200:
            raise RuntimeError(f"PUT {client_id} -> {advisor_id}: {response}")
        return elapsed

    ids = movers(clients)
    for client_id in ids:
        assign(client_id, ADVISORS[0])
    samples = []
    for n in range(WARMUP_CALLS + calls):
        client_id = ids[n % MOVERS]
        elapsed = assign(client_id, ADVISORS[(n // MOVERS + 1) % 2])
        if n >= WARMUP_CALLS:
            samples.append(elapsed)
    return {
        "clients": clients,
        "calls": calls,
        "p50_ms": round(statistics.median(samples), 2),
        "p99_ms": round(statistics.quantiles(samples, n=100, method="inclusive")[98], 2),
    }


def measure(url: str, clients: int, calls: int, workdir: Path) -> dict[str, Any]:
    """Import a book of `clients` clients into the (reset) emulator, then time the calls in a
    fresh process whose environment is the assignments function's own."""
    from local.harness import template

    refs, imported = ingest.load(url, clients, workdir)
    if imported["status"] != "SUCCEEDED":
        raise RuntimeError(f"the import of {clients:,} clients ended {imported['status']}")
    environment = {
        **os.environ,
        **template.functions()["AssignmentsFunction"].resolved_environment(refs),
    }
    job = json.dumps({"refs": refs, "clients": clients, "calls": calls})
    output = child_result(["-m", "bench.assignments", "--run", job], environment, "assignments")
    measured: dict[str, Any] = json.loads(output)
    return measured


def summary(
    large: int = 200_000,
    calls: int = 200,
    log: Callable[[dict[str, Any]], None] = lambda _: None,
) -> dict[str, Any]:
    """The `assignments` figures of `make bench`: latency with a small and a large book, and
    the ratio of their medians (1 when the size of the book does not matter)."""
    with emulator_process(local=True) as url, tempfile.TemporaryDirectory() as folder:
        small_book = measure(url, SMALL_BOOK, calls, Path(folder))
        log(small_book)
        large_book = measure(url, large, calls, Path(folder))
        log(large_book)
    return {
        "small": small_book,
        "large": large_book,
        "p50_ratio": round(large_book["p50_ms"] / small_book["p50_ms"], 2),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[SMALL_BOOK, 200_000])
    parser.add_argument("--calls", type=int, default=200, help="timed calls per size")
    parser.add_argument("--run", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run:
        job = json.loads(args.run)
        print(json.dumps(run(job["refs"], job["clients"], job["calls"])))
        return 0
    with emulator_process(local=True) as url, tempfile.TemporaryDirectory() as workdir:
        for clients in args.clients:
            print(json.dumps(measure(url, clients, args.calls, Path(workdir))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
