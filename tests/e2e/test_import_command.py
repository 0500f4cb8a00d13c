"""`make import` as a user runs it against `make run`, with no AWS
configuration and its output going to a pipe: a file of 50,000 clients followed to its
summary, and a file that fails.

The stack is one of its own: the big book would change what the shared stack's tests expect.
"""

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from local.tools.generate_seed import write_seed
from tests.conftest import ROOT
from tests.e2e.conftest import LocalStack, free_port, start_stack

# The size of book a firm loads: long enough for the progress to move many times.
CLIENTS = 50_000
ADVISORS = CLIENTS // 50
RECORDS = CLIENTS + ADVISORS
# A safety net of minutes, not a measure.
COMMAND_TIMEOUT = 900
PROGRESS_LINE = re.compile(r"^([\d,]+)/([\d,]+) records \(\d+%\), ([\d,]+|--) records/s, ETA ")


@pytest.fixture(scope="module")
def own_stack() -> Iterator[LocalStack]:
    running = start_stack(free_port(), free_port())
    yield running
    assert running.stop() == 0


def make_import(
    stack: LocalStack, path: Path, *variables: str, home: Path
) -> subprocess.CompletedProcess[str]:
    """The command `make import FILE=<path>` runs, its output captured (not a terminal), in an
    environment with no AWS configuration at all."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("AWS_")
        and name not in ("LOCAL_AWS_PORT", "LOCAL_SEED_BUCKET", "ENV", "BUCKET", "KEY")
    }
    environment.update(
        {
            "HOME": str(home),
            "AWS_CONFIG_FILE": str(home / "no-aws-config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(home / "no-aws-credentials"),
            "LOCAL_AWS_PORT": stack.aws_url.rsplit(":", 1)[1],
        }
    )
    return subprocess.run(  # noqa: S603
        ["make", "-s", "--no-print-directory", "import", f"FILE={path}", *variables],  # noqa: S607
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )


def test_a_large_file_is_followed_to_its_summary(own_stack: LocalStack, tmp_path: Path) -> None:
    book = tmp_path / "book-large.json"
    with book.open("w") as out:
        write_seed(out, CLIENTS, ADVISORS)

    done = make_import(own_stack, book, home=tmp_path)

    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"uploaded {book} to s3://advisor-book-seed/book-large.json")
    shown = [match for line in lines if (match := PROGRESS_LINE.match(line))]
    counts = [int(match[1].replace(",", "")) for match in shown]
    assert {int(match[2].replace(",", "")) for match in shown} == {RECORDS}
    assert counts == sorted(counts)
    assert len(set(counts)) >= 2, done.stdout
    assert lines[-2].startswith("SUCCEEDED: import imp-")
    assert lines[-1].startswith(
        f"  {RECORDS:,} records: {ADVISORS:,} advisors and {CLIENTS:,} clients upserted, "
        "0 rejected, "
    )
    (reported,) = own_stack.request("GET", "/imports?key=book-large.json").body["items"]
    assert (reported["status"], reported["records_done"], reported["records_total"]) == (
        "SUCCEEDED",
        RECORDS,
        RECORDS,
    )
    assert lines[-2].endswith(
        f"import {reported['import_id']} of s3://advisor-book-seed/book-large.json"
    )
    assert type(reported["records_per_second"]) is int


def test_a_file_that_fails_exits_non_zero_with_the_reason(
    own_stack: LocalStack, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_bytes(b'{"clients": [{"first_name": nope}]}')

    done = make_import(own_stack, broken, "KEY=uploads/broken.json", home=tmp_path)

    # make exits 2 when a command fails, and names the command's own status (1: FAILED).
    assert done.returncode == 2
    assert "Error 1" in done.stderr
    lines = done.stdout.splitlines()
    assert "FAILED: import imp-" in done.stdout
    assert "s3://advisor-book-seed/uploads/broken.json" in lines[-4]
    assert lines[-2:] == [
        "first errors:",
        "  $: the file is not valid JSON: lexical error: invalid string in json text, "
        "between byte 0 and byte 35",
    ]
