"""`make bench`: cold starts, DynamoDB round trips, ingest throughput and memory, and assignment
latency as the book grows, each against a baseline measured in the same run, with the targets
beside the figures.

    python -m bench        (after `sam build`, for the layer's zipped size)

Prints a Markdown table and writes the figures as JSON to ${BENCH_OUT:-bench/results.json}.
The exit status is 0 whether targets are met or not: this is a report, not a test.

Settings (environment):
  BENCH_OUT             where the JSON goes (default bench/results.json)
  BENCH_CLIENTS         clients in the file the ingest handler and the baseline both import
                        (default 200000)
  BENCH_RSS_CLIENTS     clients in the large file of the peak-RSS pair (default 200000; the
                        small one has 2000)
  BENCH_RUNS            measured rounds of the cold imports (default 9, at least 7)
  BENCH_LATENCY_CALLS   warm calls per route for the latency (default 200)
  BENCH_ASSIGN_CLIENTS  clients in the large book of the assignment latency (default 200000;
                        the small one has 2000)
  BENCH_ASSIGN_CALLS    timed assignments per book (default 200)
"""

import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import ROOT, assignments, cold_import, ingest

LAYER_BUILD = ROOT / ".aws-sam" / "build" / "SharedLayer"
MB = 1024 * 1024

READS = (
    "list_advisors",
    "get_advisor",
    "list_advisor_clients",
    "list_clients",
    "list_unassigned_clients",
    "find_clients_by_name",
    "find_advisor_clients_by_name",
    "get_client",
)
WRITES = ("assign", "reassign", "unassign")
MAX_COLD_RATIO = 1.5
MIN_SPEEDUP = 8.0
MAX_RSS_RATIO = 1.3
MAX_ASSIGN_RATIO = 1.5


def _setting(name: str, default: int, minimum: int = 1) -> int:
    value = int(os.environ.get(name) or default)
    if value < minimum:
        raise SystemExit(f"{name} must be at least {minimum}")
    return value


def _progress(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def layer_zip_mb(build: Path = LAYER_BUILD) -> float | None:
    """The built layer zipped as `sam deploy` uploads it (deflated), in MB (2^20 bytes)."""
    if not build.is_dir():
        return None
    with tempfile.TemporaryDirectory() as folder:
        archive = Path(folder) / "layer.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
            for path in sorted(build.rglob("*")):
                if path.is_file():
                    out.write(path, path.relative_to(build).as_posix())
        return round(archive.stat().st_size / MB, 2)


def handler_figures(latency_calls: int) -> dict[str, Any]:
    """`ddb_requests` and `latency_ms`, measured in a process of their own (moto in-process
    patches botocore there, and the handlers' environments stay out of this one)."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "handlers.json"
        child = subprocess.run(  # noqa: S603
            [
                sys.executable,
                "-m",
                "bench.handlers",
                "--out",
                str(out),
                "--calls",
                str(latency_calls),
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,  # the handlers' logs and metrics
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
        if child.returncode != 0:
            raise RuntimeError(f"bench.handlers failed:\n{child.stderr[-4000:]}")
        figures: dict[str, Any] = json.loads(out.read_text())
        return figures


def _verdict(passed: bool) -> str:
    return "PASS" if passed else "MISS"


Row = tuple[str, str, str, str]


def _cold_rows(cold: dict[str, Any]) -> list[Row]:
    rows: list[Row] = [
        ("cold import: baseline (boto3 + 1 DynamoDB client)", f"{cold['baseline_ms']} ms", "", "")
    ]
    for name, figure in cold["functions"].items():
        rows.append(
            (
                f"cold import: {name}",
                f"{figure['median_ms']} ms, ratio {figure['ratio']}",
                f"ratio <= {MAX_COLD_RATIO}",
                _verdict(figure["ratio"] <= MAX_COLD_RATIO),
            )
        )
    return rows


def _request_rows(counts: dict[str, int], operations: dict[str, dict[str, int]]) -> list[Row]:
    rows: list[Row] = []
    for name, count in counts.items():
        calls = ", ".join(f"{op} x{n}" if n > 1 else op for op, n in operations[name].items())
        limit = 1 if name in READS else 2
        rows.append(
            (
                f"DynamoDB requests: {name}",
                f"{count} ({calls})",
                "= 1" if name in READS else "<= 2",
                _verdict(count <= limit),
            )
        )
    return rows


def _ingest_rows(figures: dict[str, Any], rss_sizes: tuple[int, int]) -> list[Row]:
    clients = f"{figures['clients']:,} clients"
    return [
        (f"ingest: handler, {clients}", f"{figures['records_per_s']} rec/s", "", ""),
        (f"ingest: PutItem loop, {clients}", f"{figures['baseline_records_per_s']} rec/s", "", ""),
        (
            "ingest: speedup",
            f"{figures['speedup']}",
            f">= {MIN_SPEEDUP:g}",
            _verdict(figures["speedup"] >= MIN_SPEEDUP),
        ),
        (
            f"ingest: peak RSS, {rss_sizes[0]:,} clients",
            f"{figures['peak_rss_mb_small']} MB",
            "",
            "",
        ),
        (
            f"ingest: peak RSS, {rss_sizes[1]:,} clients",
            f"{figures['peak_rss_mb_large']} MB",
            "",
            "",
        ),
        (
            "ingest: RSS ratio",
            f"{figures['rss_ratio']}",
            f"<= {MAX_RSS_RATIO}",
            _verdict(figures["rss_ratio"] <= MAX_RSS_RATIO),
        ),
    ]


def _assignment_rows(assigned: dict[str, Any]) -> list[Row]:
    rows: list[Row] = [
        (
            f"assignment latency, local emulator: {book['clients']:,} clients",
            f"p50 {book['p50_ms']} ms, p99 {book['p99_ms']} ms",
            "",
            "",
        )
        for book in (assigned["small"], assigned["large"])
    ]
    rows.append(
        (
            "assignment latency: p50 ratio, large book to small",
            f"{assigned['p50_ratio']}",
            f"<= {MAX_ASSIGN_RATIO}",
            _verdict(assigned["p50_ratio"] <= MAX_ASSIGN_RATIO),
        )
    )
    return rows


def table(
    results: dict[str, Any],
    operations: dict[str, dict[str, int]],
    rss_sizes: tuple[int, int],
) -> str:
    """The figures as a Markdown table, each target beside its figure with PASS or MISS."""
    rows = [
        *_cold_rows(results["cold_import"]),
        *_request_rows(results["ddb_requests"], operations),
        *_ingest_rows(results["ingest"], rss_sizes),
        *_assignment_rows(results["assignments"]),
    ]
    for route, latency in results["latency_ms"].items():
        rows.append(
            (
                f"warm latency: {route}",
                f"p50 {latency['p50']} ms, p99 {latency['p99']} ms",
                "report",
                "",
            )
        )
    layer = results["layer_zip_mb"]
    built = "not built (run sam build)" if layer is None else f"{layer} MB"
    rows.append(("layer zip (.aws-sam/build/SharedLayer)", built, "report", ""))
    lines = ["| figure | value | target | |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return "\n".join(lines)


def _timed[T](label: str, work: Callable[[], T]) -> T:
    _progress(f"{label}...")
    started = time.monotonic()
    result = work()
    _progress(f"{label}: done in {time.monotonic() - started:.0f} s")
    return result


def main() -> int:
    out = Path(os.environ.get("BENCH_OUT") or ROOT / "bench" / "results.json")
    clients = _setting("BENCH_CLIENTS", 200_000)
    rss_small = 2_000
    rss_large = _setting("BENCH_RSS_CLIENTS", 200_000)
    runs = _setting("BENCH_RUNS", 9, minimum=7)
    latency_calls = _setting("BENCH_LATENCY_CALLS", 200, minimum=10)
    assign_clients = _setting("BENCH_ASSIGN_CLIENTS", 200_000, minimum=assignments.SMALL_BOOK)
    assign_calls = _setting("BENCH_ASSIGN_CALLS", 200, minimum=10)

    layer = layer_zip_mb()
    cold = _timed(
        f"cold imports ({runs} rounds, fresh interpreters)", lambda: cold_import.measure(runs)
    )
    handlers = _timed("DynamoDB requests and warm latency", lambda: handler_figures(latency_calls))

    def log(run: dict[str, Any]) -> None:
        _progress(
            f"  {run['importer']}, {run['clients']:,} clients: {run['records_per_s']} rec/s, "
            f"{run['seconds']} s, peak RSS {run['peak_rss_mb']} MB"
        )

    ingested = _timed(
        f"ingest ({clients:,} clients vs the PutItem loop; RSS {rss_small:,} and {rss_large:,})",
        lambda: ingest.summary(clients, rss_small, rss_large, log=log),
    )

    def log_book(book: dict[str, Any]) -> None:
        _progress(f"  {book['clients']:,} clients: p50 {book['p50_ms']} ms")

    assigned = _timed(
        f"assignment latency ({assignments.SMALL_BOOK:,} and {assign_clients:,} clients)",
        lambda: assignments.summary(assign_clients, assign_calls, log=log_book),
    )
    results: dict[str, Any] = {
        "cold_import": cold,
        "ddb_requests": handlers["ddb_requests"],
        "ingest": ingested,
        "assignments": assigned,
        "latency_ms": handlers["latency_ms"],
        "layer_zip_mb": layer,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(table(results, handlers["ddb_operations"], (rss_small, rss_large)))
    print(f"\nJSON written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
