"""The layering contract (pyproject.toml, run by ``make lint``) holds, and it can fail: a module
of a lower layer that imports a higher one, even inside a function, breaks it."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("kompetensverkstad", "lessons", "worksheets")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def tree_copy(tmp_path: Path) -> Path:
    """The three packages and the contract, copied, so a probe never touches the real tree."""
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


@pytest.mark.parametrize(
    ("module", "source", "contract"),
    [
        # A function-level import counts as much as one at the top of a file.
        (
            "kompetensverkstad/probe.py",
            "def f():\n    from lessons.learning import recording\n",
            "Three layers",
        ),
        ("worksheets/probe.py", "import lessons.workshops.models\n", "Three layers"),
        ("lessons/pages/probe.py", "from lessons.workshops import joining\n", "Inside lessons"),
    ],
)
def test_an_import_against_the_layers_breaks_the_contract(tree_copy, module, source, contract):
    (tree_copy / module).write_text(source)

    result = lint_imports(tree_copy)

    assert result.returncode == 1, result.stdout + result.stderr
    broken = [line for line in result.stdout.splitlines() if "BROKEN" in line]
    assert any(contract in line for line in broken), result.stdout


def test_the_tree_as_it_is_keeps_every_contract(tree_copy):
    result = lint_imports(tree_copy)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout and "0 broken" in result.stdout
