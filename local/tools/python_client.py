"""Generates the typed Python client of the API from the committed OpenAPI document.

    python -m local.tools.python_client           # writes clients/python/advisor_book_client
    python -m local.tools.python_client --check   # fails if the committed client is not current

openapi-python-client (pinned in the dev group) writes a package of attrs models and one module
per operation, named by its operationId, which integrators can copy or install as it is.
"""

import argparse
import filecmp
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from local.harness import template

CLIENTS = template.ROOT / "clients" / "python"
PACKAGE = CLIENTS / "advisor_book_client"
CONFIG = CLIENTS / "generator.yaml"
DOCUMENT = template.ROOT / "functions" / "docs" / "openapi.json"  # local.tools.openapi writes it


def generate(into: Path) -> None:
    """Write the client package generated from the committed document to `into`."""
    generator = Path(sys.executable).parent / "openapi-python-client"
    subprocess.run(  # noqa: S603
        [
            str(generator),
            "generate",
            "--path",
            str(DOCUMENT),
            "--config",
            str(CONFIG),
            "--meta",
            "none",
            "--output-path",
            str(into),
            "--overwrite",
        ],
        check=True,
        capture_output=True,
        text=True,
    )


def differences(left: Path, right: Path) -> list[str]:
    """The files that differ between two trees, or that only one of them has."""
    found: list[str] = []

    def walk(comparison: filecmp.dircmp[str], prefix: str) -> None:
        for name in comparison.left_only + comparison.right_only + comparison.diff_files:
            found.append(prefix + name)
        for name, sub in comparison.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(left, right, ignore=["__pycache__"]), "")
    return sorted(found)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the client is not current")
    args = parser.parse_args(argv)
    if args.check:
        with tempfile.TemporaryDirectory() as scratch:
            fresh = Path(scratch) / PACKAGE.name
            generate(fresh)
            stale = differences(PACKAGE, fresh) if PACKAGE.exists() else [PACKAGE.name]
        if stale:
            print(
                f"{PACKAGE.relative_to(template.ROOT)} is stale ({', '.join(stale)}): "
                "run `make openapi`"
            )
            return 1
        return 0
    shutil.rmtree(PACKAGE, ignore_errors=True)
    generate(PACKAGE)
    return 0


if __name__ == "__main__":
    sys.exit(main())
