#!/usr/bin/env bash
# The Python package (crates/corridor-py) in CI: a fresh venv, the package built and installed
# with the README's command (pip install ./crates/corridor-py, maturin from PyPI) with its test
# extras, then pytest: answers equal to the CLI's JSON on random queries, exceptions, threads,
# corridor.dask on a 2-worker LocalCluster (loopback), and examples/corridor.ipynb executed
# with nbclient. Needs the corridor binary (built if missing) and the prepared cache (written if
# missing), as .ci/run leaves them. About 4 minutes on 2 cores with a warm cargo target.
set -euo pipefail
cd "$(dirname "$0")/.."
export CORRIDOR_CACHE="${CORRIDOR_CACHE:-$PWD/target/corridor-cache}"
target="${CARGO_TARGET_DIR:-$PWD/target}"
venv="${CORRIDOR_PY_VENV:-$target/py-venv}"
t0=$(date +%s)

if [ ! -x "$target/release/corridor" ]; then
  cargo build --release -p corridor-cli
fi
if ! ls "$CORRIDOR_CACHE"/engine-*.cch > /dev/null 2>&1; then
  "$target/release/corridor" prepare
fi

echo "== venv $venv"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip
echo "== pip install ./crates/corridor-py[test] (maturin build, release)"
"$venv/bin/python" -m pip install -q "./crates/corridor-py[test]"
"$venv/bin/python" -c "import corridor; p = corridor.Planner(); print('corridor', corridor.__version__, p)"

echo "== pytest (crates/corridor-py/tests)"
cd crates/corridor-py
CORRIDOR_BIN="$target/release/corridor" "$venv/bin/python" -m pytest -q -p no:cacheprovider tests
echo "python CI took $(( $(date +%s) - t0 )) s"
