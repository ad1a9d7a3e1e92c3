#!/usr/bin/env bash
# Builds the libFuzzer targets and runs each for a bounded time:
#   Fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]      (default: 60 s, every target)
# For each target it first replays Fuzz/Regressions/<target>/ (inputs that once crashed), then
# fuzzes a scratch copy of Fuzz/Corpus/<target>/ (the committed seeds are never written to).
# Exits non-zero if any target crashes, trips a precondition, leaks, exceeds the per-input
# timeout or the memory limit; the input that did it is kept in .build-fuzz/artifacts/<target>/.
set -euo pipefail

cd "$(dirname "$0")"
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(token hash import)
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || { echo "usage: Fuzz/run.sh [SECONDS_PER_TARGET] [token|hash|import ...]" >&2; exit 64; }

scratch=.build-fuzz
# Coverage and AddressSanitizer (with LeakSanitizer) on every Swift module, the library under
# test included; the fuzz executables link libFuzzer themselves (see Package.swift).
echo "== building the fuzz targets (debug, coverage, AddressSanitizer) in Fuzz/$scratch"
swift build --quiet -c debug --scratch-path "$scratch" \
    -Xswiftc -sanitize=address \
    -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp,indirect-calls \
    -Xswiftc -use-ld=lld
bin="$scratch/debug"

declare -A max_len=([token]=8192 [hash]=1024 [import]=8192)
# Swift's own crash handler walks memory AddressSanitizer flags; libFuzzer and ASan report instead.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:symbolize=1}
limits=(-timeout=5 -rss_limit_mb=2048 -malloc_limit_mb=2048)
work=$(mktemp -d "$PWD/$scratch/run.XXXXXX")
trap 'rm -rf "$work"' EXIT
failed=()
summary=()

for target in "${targets[@]}"; do
    exe="$bin/fuzz-$target"
    [ -x "$exe" ] || { echo "no fuzz target '$target' (token, hash, import)" >&2; exit 64; }
    artifacts="$scratch/artifacts/$target/"
    mkdir -p "$artifacts"
    log="$work/$target.log"

    regressions=()
    if [ -d "Regressions/$target" ]; then
        while IFS= read -r -d '' file; do regressions+=("$file"); done \
            < <(find "Regressions/$target" -type f ! -name 'README*' -print0 | sort -z)
    fi
    if [ ${#regressions[@]} -gt 0 ]; then
        echo "== fuzz-$target: replaying ${#regressions[@]} regression inputs"
        if ! "$exe" "${limits[@]}" -artifact_prefix="$artifacts" "${regressions[@]}" >"$log" 2>&1; then
            tail -n 60 "$log"
            failed+=("$target (regression)")
            continue
        fi
    fi

    corpus="$work/corpus-$target"
    mkdir -p "$corpus"
    cp Corpus/"$target"/* "$corpus"/
    echo "== fuzz-$target: ${seconds}s from $(ls "$corpus" | wc -l) seeds"
    status=0
    # libFuzzer stops itself at -max_total_time; `timeout` only guards against a hung process.
    timeout --kill-after=10 $((seconds + 120)) "$exe" "${limits[@]}" -max_total_time="$seconds" \
        -max_len="${max_len[$target]}" -dict="Dictionaries/$target.dict" -print_final_stats=1 \
        -artifact_prefix="$artifacts" "$corpus" >"$log" 2>&1 || status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -n 1)
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1 || true)
    summary+=("fuzz-$target: ${runs:-?} runs, ${rate:-?} exec/s, ${cov:-cov: ?}, corpus $(ls "$corpus" | wc -l), peak RSS ${rss:-?} MB, exit $status")
    if [ "$status" -ne 0 ]; then
        tail -n 60 "$log"
        failed+=("$target")
    fi
done

echo
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
    echo "FUZZING FAILED: ${failed[*]}; reproducer inputs in Fuzz/$scratch/artifacts/" >&2
    echo "Reproduce with Fuzz/$scratch/debug/fuzz-<target> <input>; once fixed, add the input to Fuzz/Regressions/<target>/." >&2
    exit 1
fi
echo "fuzzing clean: ${targets[*]}, ${seconds}s each"
