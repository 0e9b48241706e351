"""Shared fixtures: one planner per test session, the `corridor` binary to compare with, and a
random generator whose seed is printed (set CORRIDOR_TEST_SEED to replay a run)."""

import json
import os
import pathlib
import random
import subprocess

import pytest

import corridor

REPO = pathlib.Path(__file__).resolve().parents[3]


def cli_path() -> pathlib.Path:
    if os.environ.get("CORRIDOR_BIN"):
        return pathlib.Path(os.environ["CORRIDOR_BIN"])
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    return target / "release" / "corridor"


@pytest.fixture(scope="session")
def cli():
    path = cli_path()
    if not path.exists():
        pytest.fail(f"the corridor binary is missing at {path}: cargo build --release -p corridor-cli (or set CORRIDOR_BIN)")

    def run(*args: str):
        """Runs `corridor ARGS`; returns (exit code, parsed stdout JSON or None, stderr)."""
        p = subprocess.run([str(path), *args], capture_output=True, text=True, cwd=REPO, timeout=600)
        out = json.loads(p.stdout) if p.returncode == 0 and p.stdout.strip() else None
        return p.returncode, out, p.stderr

    return run


@pytest.fixture(scope="session")
def planner():
    p = corridor.Planner()
    assert p.has_engine, "tests expect the prepared engine (corridor prepare with $CORRIDOR_CACHE)"
    return p


@pytest.fixture(scope="session")
def seed():
    s = int(os.environ.get("CORRIDOR_TEST_SEED", random.randrange(1 << 30)))
    print(f"CORRIDOR_TEST_SEED={s}")
    return s


@pytest.fixture(scope="session")
def big_places(planner):
    """Names ("Name, CC") of the gazetteer's cities of at least 300,000 people, de-duplicated."""
    seen = set()
    out = []
    for p in planner.places():
        if p.get("population", 0) >= 300_000:
            key = f"{p['name']}, {p['country']}"
            if key not in seen:
                seen.add(key)
                out.append(key)
    assert len(out) > 200
    return sorted(out)
