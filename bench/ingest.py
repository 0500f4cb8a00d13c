"""Ingest throughput and memory, measured through the real handler against moto server.

    python -m bench.ingest --clients 2000 200000

Each file is generated, uploaded to the emulator's seed bucket, and imported by the ingest
function's handler in a process of its own, so each peak RSS is that file's alone. The emulator
runs in another process (its storage does not count) and is reset between files.
"""

import argparse
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BUCKET = "advisor-book-seed"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def emulator() -> Iterator[str]:
    """moto server in its own process; yields its URL."""
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603
        [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
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
    request = urllib.request.Request(url + "/moto-api/reset", method="POST")  # noqa: S310
    urllib.request.urlopen(request, timeout=10).close()  # noqa: S310


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

    from local import template
    from local.events import s3_put_event
    from local.invoke import LambdaContext, load_handler

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
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def measure(url: str, clients: int, workdir: Path) -> dict[str, Any]:
    """Generate a file of `clients` clients, upload it, and import it in a fresh process whose
    environment is the function's own from the template (as Lambda starts it)."""
    import boto3

    from local import template
    from local.generate_seed import write_seed
    from local.provision import provision

    seed_file = workdir / f"book-{clients}.json"
    with seed_file.open("w") as out:
        write_seed(out, clients)
    reset(url)
    use_emulator(url)
    refs = provision(BUCKET)
    s3 = boto3.client("s3")
    s3.upload_file(str(seed_file), BUCKET, seed_file.name)
    version_id = s3.head_object(Bucket=BUCKET, Key=seed_file.name).get("VersionId")
    environment = {
        **os.environ,
        **template.functions()["IngestFunction"].resolved_environment(refs),
    }
    child = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "bench.ingest",
            "--run-one",
            json.dumps({"url": url, "refs": refs, "key": seed_file.name, "version": version_id}),
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    measured: dict[str, Any] = json.loads(child.stdout.strip().splitlines()[-1])
    measured["clients"] = clients
    measured["file_mb"] = round(seed_file.stat().st_size / 1e6, 1)
    return measured


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[2000, 200000])
    parser.add_argument("--run-one", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run_one:
        job = json.loads(args.run_one)
        print(json.dumps(run_one(job["url"], job["refs"], job["key"], job["version"])))
        return 0
    with emulator() as url, tempfile.TemporaryDirectory() as workdir:
        for clients in args.clients:
            print(json.dumps(measure(url, clients, Path(workdir))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
