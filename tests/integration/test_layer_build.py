"""The shared layer as `sam build` builds it (layers/shared/Makefile): the runtime dependencies
for arm64, the advisor_book package, and bytecode for every module, which Lambda's read-only
/opt could never write itself."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

# Building the layer installs its dependencies with pip.
pytestmark = pytest.mark.slow

PYC_UNCHECKED_HASH = 0b01  # PEP 552 flags: hash-based, not checked against the source


@pytest.fixture(scope="module")
def layer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    artifacts = tmp_path_factory.mktemp("SharedLayer")
    make = shutil.which("make")
    assert make is not None
    subprocess.run(  # noqa: S603
        [
            make,
            "--no-print-directory",
            "-f",
            str(ROOT / "layers" / "shared" / "Makefile"),
            "build-SharedLayer",
            f"ARTIFACTS_DIR={artifacts}",
            f"PYTHON={sys.executable}",
        ],
        cwd=tmp_path_factory.mktemp("scratch"),
        check=True,
        capture_output=True,
    )
    return artifacts / "python"


def test_every_module_ships_with_bytecode_valid_whatever_its_timestamps(layer: Path) -> None:
    sources = sorted(layer.rglob("*.py"))
    assert len(sources) > 100
    for source in sources:
        compiled = source.parent / "__pycache__" / f"{source.stem}.cpython-313.pyc"
        assert compiled.is_file(), f"no bytecode for {source.relative_to(layer)}"
        flags = int.from_bytes(compiled.read_bytes()[4:8], "little")
        assert flags == PYC_UNCHECKED_HASH, source.relative_to(layer)


def test_the_layer_holds_the_package_and_arm64_dependencies_but_not_boto3(layer: Path) -> None:
    assert (layer / "advisor_book" / "auth.py").is_file()
    (core,) = (layer / "pydantic_core").glob("_pydantic_core.*.so")
    assert "aarch64" in core.name
    assert core.read_bytes()[18:20] == (183).to_bytes(2, "little")  # ELF e_machine: AArch64
    assert not (layer / "boto3").exists()
    assert not (layer / "botocore").exists()
