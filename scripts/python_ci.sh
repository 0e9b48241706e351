#!/usr/bin/env bash
# The Python package (crates/corridor-py) in CI, from the artefacts a release would ship:
#   1. a venv with the build tools from PyPI (maturin, ziglang);
#   2. the Linux wheel, `maturin build --release --zig --compatibility manylinux2014` (abi3,
#      glibc 2.17), and the sdist, `maturin sdist` (checked to carry the files the library
#      embeds);
#   3. a fresh venv with nothing but that wheel: import and one route (no pandas, no extras);
#   4. the test venv: the same wheel with its test and geo extras (pandas, Dask, nbclient,
#      matplotlib, geopandas), then pytest: answers equal to the CLI's JSON on random queries,
#      gas and risk equal to `corridor gas|risk ... --format json`, exceptions, threads, GeoDataFrames,
#      corridor.dask on a 2-worker LocalCluster (loopback), and examples/corridor.ipynb executed
#      with nbclient.
# The tests run on the wheel that was built: the package is compiled once. Needs the corridor
# binary (built if missing) and the prepared cache (written if missing), as .ci/run leaves them.
# 488 s (3 min 44 s of CPU) on the shared 2-core machine from a cold wheel target; the wheel's compile
# for its own target (target/x86_64-unknown-linux-gnu) is about 3.5 min of it.
set -euo pipefail
cd "$(dirname "$0")/.."
export CORRIDOR_CACHE="${CORRIDOR_CACHE:-$PWD/target/corridor-cache}"
target="${CARGO_TARGET_DIR:-$PWD/target}"
venv="${CORRIDOR_PY_VENV:-$target/py-venv}"
tools="$target/py-tools"
wheels="$target/wheels"
t0=$(date +%s)
lap() { echo "   ($1: $(( $(date +%s) - t0 )) s since the start)"; }

if [ ! -x "$target/release/corridor" ]; then
  cargo build --release -p corridor-cli
fi
if ! ls "$CORRIDOR_CACHE"/engine-*.cch > /dev/null 2>&1; then
  "$target/release/corridor" prepare
fi

echo "== build tools (venv $tools): maturin, ziglang"
python3 -m venv "$tools"
"$tools/bin/python" -m pip install -q --upgrade pip
"$tools/bin/python" -m pip install -q "maturin>=1.9.4,<2" ziglang
lap "tools"

echo "== wheel: maturin build --release --zig --compatibility manylinux2014; sdist: maturin sdist"
rm -rf "$wheels"
(
  cd crates/corridor-py
  PATH="$tools/bin:$PATH" maturin build --release --zig --compatibility manylinux2014 --out "$wheels"
  PATH="$tools/bin:$PATH" maturin sdist --out "$wheels"
)
wheel=$(ls "$wheels"/corridor-*-cp39-abi3-*manylinux2014_x86_64*.whl)
sdist=$(ls "$wheels"/corridor-*.tar.gz)
ls -l "$wheels"
# the sdist builds anywhere with a Rust toolchain: it carries the crates and the data the library embeds
listing=$(tar -tzf "$sdist")
for f in pyproject.toml crates/corridor-py/src/lib.rs crates/corridor/src/lib.rs crates/corridor/build.rs data/network/world.cnet \
  data/params/default.toml data/params/markets/latest.toml data/params/crossings.csv data/params/capacity.toml \
  data/corridors.toml data/od/middle.csv data/od/scenario-pairs.csv data/validation/published.csv \
  data/validation/explanations.csv data/validation/gas.csv data/gas/network.json data/gas/qa.csv \
  data/risk/areas.toml data/risk/incidents_2023_2025.csv; do
  if ! grep -q "/$f\$" <<< "$listing"; then
    echo "the sdist lacks $f" >&2
    exit 1
  fi
done
echo "sdist carries the crates and the embedded data ($(wc -l <<< "$listing") files)"
lap "wheel and sdist"

echo "== fresh venv with the wheel alone: import and one route"
python3 -m venv --clear "$target/py-smoke"
"$target/py-smoke/bin/python" -m pip install -q "$wheel"
"$target/py-smoke/bin/python" -c "
import corridor
p = corridor.Planner()
r = p.route('Almaty', 'Istanbul', avoid=['RU', 'IR'])
print('corridor', corridor.__version__, p)
print(r['origin']['name'], '->', r['destination']['name'], round(r['distance_km']), 'km', ' > '.join(r['countries']))
assert 'RU' not in r['countries'] and 'IR' not in r['countries']
"
lap "smoke"

echo "== test venv $venv: the wheel with its [test,geo] extras"
python3 -m venv --clear "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip
"$venv/bin/python" -m pip install -q "$wheel[test,geo]"
lap "test venv"

echo "== pytest (crates/corridor-py/tests)"
cd crates/corridor-py
CORRIDOR_BIN="$target/release/corridor" "$venv/bin/python" -m pytest -q -p no:cacheprovider tests
echo "python CI took $(( $(date +%s) - t0 )) s"
