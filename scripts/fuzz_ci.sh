#!/usr/bin/env bash
# Runs every fuzz target of fuzz/ briefly from its committed corpus (cargo-fuzz from crates.io, on
# the stable toolchain without a sanitizer): a short regression run for CI, not a campaign.
#   bash scripts/fuzz_ci.sh            # 20 s per target (8 targets: under 3 min plus the build)
#   FUZZ_SECONDS=600 bash scripts/fuzz_ci.sh   # longer
#   FUZZ_SECONDS=3600 FUZZ_MERGE=1 bash scripts/fuzz_ci.sh   # a campaign: new inputs merged into
#       corpus/<target> with libFuzzer's -merge=1 (the smallest set keeping every feature found)
#   FUZZ_TARGETS="raw_cache engine_file" ...   # some targets only
# A finding fails the run (libFuzzer exits non-zero and leaves the input in fuzz/artifacts/).
# The corpora are read from fuzz/corpus/<target> and new inputs go to a scratch copy, so a CI run
# does not change the committed files.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds="${FUZZ_SECONDS:-20}"
command -v cargo-fuzz > /dev/null || cargo install cargo-fuzz --locked
unset CARGO_TARGET_DIR
cargo fuzz build --sanitizer none -O
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
total=0
for t in ${FUZZ_TARGETS:-$(cargo fuzz list)}; do
  mkdir -p "$scratch/$t"
  log="$scratch/$t.log"
  if ! cargo fuzz run --sanitizer none -O "$t" "$scratch/$t" "corpus/$t" -- \
    -max_total_time="$seconds" -rss_limit_mb=4096 -timeout=30 -print_final_stats=1 > "$log" 2>&1; then
    tail -40 "$log"
    echo "fuzz target $t: FINDING (input in fuzz/artifacts/$t/)" >&2
    exit 1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  total=$((total + runs))
  echo "fuzz target $t: $runs executions in ${seconds} s, no finding"
  if [ "${FUZZ_MERGE:-0}" = 1 ]; then
    mkdir -p "$scratch/min-$t"
    cargo fuzz run --sanitizer none -O "$t" "$scratch/min-$t" "corpus/$t" "$scratch/$t" -- -merge=1 \
      > "$scratch/merge-$t.log" 2>&1 || { tail -20 "$scratch/merge-$t.log"; exit 1; }
    rm -rf "corpus/$t" && mv "$scratch/min-$t" "corpus/$t"
    echo "fuzz target $t: corpus merged to $(ls "corpus/$t" | wc -l) inputs ($(du -sb "corpus/$t" | cut -f1) bytes)"
  fi
done
echo "fuzz: $total executions, no finding"
