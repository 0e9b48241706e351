"""The package's annotations hold (mypy over its sources, crates/corridor-py/python/corridor, with
the extension's stub), and the keyword TypedDicts make a type checker catch a misspelt or misplaced
keyword (PEP 692). One mypy run checks both. Runs where mypy is installed (the test extra
installs it)."""

import pathlib
import subprocess
import sys

import pytest

pytest.importorskip("mypy")

SOURCES = pathlib.Path(__file__).resolve().parents[1] / "python"


def test_package_type_checks_and_keywords_are_checked(tmp_path):
    f = tmp_path / "use.py"
    f.write_text(
        "import corridor\n"
        "p = corridor.Planner()\n"
        "p.route('a', 'b', avoid=['RU'], as_of='2024-03-01', alternatives=1, via=['c'])\n"
        "p.gas_flow('AZ', 'EU', avoid='RU')\n"
        "p.route('a', 'b', avoidd=['RU'])\n"
        "p.compare('a', 'b', alternatives=1)\n"
        "p.matrix(['a'], ['b'], by=3)\n"
    )
    p = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", "--ignore-missing-imports",
                        "corridor", str(f)], capture_output=True, text=True, timeout=600, cwd=SOURCES)
    errors = [line for line in p.stdout.splitlines() if ": error:" in line]
    # no error in the package; the three wrong calls (lines 5 to 7 of use.py), and only them
    assert [(pathlib_name(e), e.split(":")[1]) for e in errors] == [("use.py", "5"), ("use.py", "6"), ("use.py", "7")], \
        p.stdout + p.stderr


def pathlib_name(error_line: str) -> str:
    return error_line.split(":")[0].replace("\\", "/").rsplit("/", 1)[-1]
