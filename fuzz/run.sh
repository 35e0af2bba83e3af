#!/usr/bin/env bash
# Fuzzes each target for SECONDS (default 600), two at a time, and prints
# the executions each ran. Needs the nightly toolchain and cargo-fuzz:
#   rustup toolchain install nightly && cargo install cargo-fuzz
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-600}"
targets=(front_matter markdown search config)
cargo +nightly fuzz build -O
mkdir -p logs
run() {
  local target="$1"
  mkdir -p "corpus/$target"
  # The first folder receives new inputs; seeds/ is only read.
  cargo +nightly fuzz run -O "$target" "corpus/$target" "seeds/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
    > "logs/$target.log" 2>&1
}
failed=0
for ((i = 0; i < ${#targets[@]}; i += 2)); do
  pids=()
  run "${targets[i]}" & pids+=($!)
  if ((i + 1 < ${#targets[@]})); then run "${targets[i + 1]}" & pids+=($!); fi
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
done
for target in "${targets[@]}"; do
  runs="$(grep -E '^stat::number_of_executed_units' "logs/$target.log" | awk '{print $2}')"
  if [[ -z "$runs" ]] || grep -qE 'ERROR: libFuzzer|panicked|SUMMARY: ' "logs/$target.log"; then
    echo "$target: FAILED, see fuzz/logs/$target.log and fuzz/artifacts/$target/"
    failed=1
  else
    printf '%-14s %s executions\n' "$target" "$runs"
  fi
done
exit "$failed"
