"""Ingest throughput and memory, measured through the real handler against moto server.

    python -m bench.ingest --clients 2000 200000 [--baseline]

Each file is generated, uploaded to the emulator's seed bucket, and imported by the ingest
function's handler in a process of its own, so each peak RSS is that file's alone. The emulator
runs in another process (its storage does not count) and is reset between files.

With --baseline, each file is also imported by a plain loop over the same emulator, reset first:
the object read from S3, parsed whole with json.load(parse_float=Decimal), and each advisor put
as one item with PutItem, one request after the other; each client as the three items the table
keeps of every client (its profile and its two entries in the name index), three PutItems. The
comparison is of the same writes, made in batches or one at a time.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench import ROOT, child_result, peak_rss_mb
from local.harness.emulator_process import emulator_process, reset

BUCKET = "advisor-book-seed"


def use_emulator(url: str) -> None:
    os.environ.update(
        {
            "AWS_ENDPOINT_URL": url,
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_DEFAULT_REGION": "us-east-1",
            "POWERTOOLS_METRICS_DISABLED": "true",
            "POWERTOOLS_LOG_LEVEL": "WARNING",
        }
    )


def run_one(url: str, refs: dict[str, str], key: str, version_id: str | None) -> dict[str, Any]:
    """In this process, as in a fresh Lambda: import an uploaded object through the handler."""
    sys.path.insert(0, str(ROOT / "layers" / "shared"))
    use_emulator(url)
    import boto3

    from local.harness import template
    from local.harness.events import s3_put_event
    from local.harness.runtime import LambdaContext, load_handler

    _, handler = load_handler("IngestFunction", refs)
    function = template.functions()["IngestFunction"]
    started = time.perf_counter()
    result = handler(
        s3_put_event(BUCKET, key, version_id=version_id),
        LambdaContext(
            function_name="IngestFunction",
            memory_limit_in_mb=function.memory_mb,
            timeout_seconds=function.timeout_seconds,
        ),
    )
    seconds = time.perf_counter() - started
    (outcome,) = result["imports"]
    status = boto3.client("dynamodb").get_item(
        TableName=refs["BookTable"],
        Key={"PK": {"S": f"IMPORT#{outcome['import_id']}"}, "SK": {"S": "#STATUS"}},
    )["Item"]
    records = int(status["advisors_upserted"]["N"]) + int(status["clients_upserted"]["N"])
    return {
        "status": outcome["status"],
        "records": records,
        "seconds": round(seconds, 2),
        "records_per_s": round(records / seconds, 1),
        "peak_rss_mb": peak_rss_mb(),
    }


def run_baseline(url: str, refs: dict[str, str], key: str) -> dict[str, Any]:
    """In this process: the plain import, one PutItem per item, in order."""
    sys.path.insert(0, str(ROOT / "layers" / "shared"))
    use_emulator(url)
    import boto3

    from advisor_book import keys
    from advisor_book.names import normalized

    started = time.perf_counter()
    body = boto3.client("s3").get_object(Bucket=BUCKET, Key=key)["Body"]
    document = json.load(body, parse_float=Decimal)
    table = boto3.resource("dynamodb").Table(refs["BookTable"])
    records = 0
    for advisor in document["financial_advisors"]:
        table.put_item(Item={"PK": f"ADVISOR#{advisor['id']}", "SK": "#PROFILE", **advisor})
        records += 1
    for client in document["clients"]:
        table.put_item(Item={**keys.client_profile(client["id"]), **client})
        for part, name in ((keys.FIRST, client["first_name"]), (keys.LAST, client["last_name"])):
            entry = {
                **keys.name_entry(client["id"], part),
                **keys.name_index(normalized(name), client["id"]),
                "first_name": client["first_name"],
                "last_name": client["last_name"],
            }
            table.put_item(Item=entry)
        records += 1
    seconds = time.perf_counter() - started
    return {
        "status": "SUCCEEDED",
        "records": records,
        "seconds": round(seconds, 2),
        "records_per_s": round(records / seconds, 1),
        "peak_rss_mb": peak_rss_mb(),
    }


def seed_file(workdir: Path, clients: int) -> Path:
    """The synthetic file of `clients` clients, written once per working folder."""
    from local.tools.generate_seed import write_seed

    path = workdir / f"book-{clients}.json"
    if not path.exists():
        with path.open("w") as out:
            write_seed(out, clients)
    return path


def measure(url: str, clients: int, workdir: Path, *, baseline: bool = False) -> dict[str, Any]:
    """Generate a file of `clients` clients, upload it to the emulator (reset first), and import
    it in a fresh process: by the ingest handler, whose environment is the function's own from
    the template (as Lambda starts it), or with `baseline` by the plain PutItem loop."""
    return load(url, clients, workdir, baseline=baseline)[1]


def load(
    url: str, clients: int, workdir: Path, *, baseline: bool = False
) -> tuple[dict[str, str], dict[str, Any]]:
    """What `measure` does; the template's resources in the emulator (their !Ref values) with
    the figures."""
    import boto3

    from local.harness import template
    from local.harness.provision import provision

    path = seed_file(workdir, clients)
    reset(url)
    use_emulator(url)
    refs = provision(BUCKET)
    s3 = boto3.client("s3")
    s3.upload_file(str(path), BUCKET, path.name)
    version_id = s3.head_object(Bucket=BUCKET, Key=path.name).get("VersionId")
    environment = {
        **os.environ,
        **template.functions()["IngestFunction"].resolved_environment(refs),
    }
    job = json.dumps({"url": url, "refs": refs, "key": path.name, "version": version_id})
    mode = "--run-baseline" if baseline else "--run-one"
    output = child_result(["-m", "bench.ingest", mode, job], environment, f"import of {path.name}")
    measured: dict[str, Any] = json.loads(output)
    measured["clients"] = clients
    measured["file_mb"] = round(path.stat().st_size / 1e6, 1)
    measured["importer"] = "baseline" if baseline else "handler"
    return refs, measured


def summary(
    clients: int = 200_000,
    rss_small: int = 2_000,
    rss_large: int = 200_000,
    log: Callable[[dict[str, Any]], None] = lambda _: None,
) -> dict[str, Any]:
    """The `ingest` figures of `make bench`, all against one emulator in this run.

    Throughput: the handler and the baseline over the same file of `clients` clients. Memory:
    the handler's peak RSS on a `rss_small` and on a `rss_large` client file.
    """
    with emulator_process() as url, tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        small = measure(url, rss_small, workdir)
        log(small)
        large = measure(url, rss_large, workdir)
        log(large)
        handler = large if clients == rss_large else measure(url, clients, workdir)
        if handler is not large:
            log(handler)
        baseline = measure(url, clients, workdir, baseline=True)
        log(baseline)
        for run in (small, large, handler, baseline):
            if run["status"] != "SUCCEEDED":
                raise RuntimeError(f"{run['importer']} import ended {run['status']}: {run}")
        if baseline["records"] != handler["records"]:
            raise RuntimeError(f"record counts differ: {handler} vs {baseline}")
    return {
        "clients": clients,
        "records_per_s": handler["records_per_s"],
        "baseline_records_per_s": baseline["records_per_s"],
        "speedup": round(handler["records_per_s"] / baseline["records_per_s"], 2),
        "peak_rss_mb_small": small["peak_rss_mb"],
        "peak_rss_mb_large": large["peak_rss_mb"],
        "rss_ratio": round(large["peak_rss_mb"] / small["peak_rss_mb"], 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[2000, 200000])
    parser.add_argument(
        "--baseline", action="store_true", help="also time the plain PutItem loop on each file"
    )
    parser.add_argument("--run-one", help=argparse.SUPPRESS)
    parser.add_argument("--run-baseline", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run_one:
        job = json.loads(args.run_one)
        print(json.dumps(run_one(job["url"], job["refs"], job["key"], job["version"])))
        return 0
    if args.run_baseline:
        job = json.loads(args.run_baseline)
        print(json.dumps(run_baseline(job["url"], job["refs"], job["key"])))
        return 0
    with emulator_process() as url, tempfile.TemporaryDirectory() as workdir:
        for clients in args.clients:
            print(json.dumps(measure(url, clients, Path(workdir))), flush=True)
            if args.baseline:
                print(json.dumps(measure(url, clients, Path(workdir), baseline=True)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
