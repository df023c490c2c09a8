#!/usr/bin/env bash
# Builds the libFuzzer targets of Tests/Fuzz and runs each for a bounded time on a copy of its
# seed corpus (see docs/fuzzing.md). Fails if any target finds a crash, a leak or a timeout;
# the input that did it is kept under $FUZZ_SCRATCH/findings/<target>/ (only new ones count).
#
#   scripts/fuzz.sh [target ...]        targets: config summary-blob response (default: all)
#   FUZZ_SECONDS=60   time per target    FUZZ_RUNS=0   stop after this many inputs (0: no limit)
#   FUZZ_SCRATCH=.build-fuzz   build and work directory
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${FUZZ_SECONDS:-60}
runs=${FUZZ_RUNS:-0}
[ "$runs" != 0 ] || runs=-1
scratch=${FUZZ_SCRATCH:-$root/.build-fuzz}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(config summary-blob response)

# Release mode for speed (preconditions stay on); testable imports for SummaryBlob; lld, since
# gold fails on the sanitizer runtime's symbols.
build=(--package-path Tests/Fuzz --scratch-path "$scratch" -c release)
swift build "${build[@]}" -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing -Xswiftc -use-ld=lld
bin=$(swift build "${build[@]}" --show-bin-path)
# Swift's own crash backtracer trips AddressSanitizer; libFuzzer prints the stack instead.
export SWIFT_BACKTRACE=enable=no

status=0
summary=()
for target in "${targets[@]}"; do
    seeds=Tests/Fuzz/Corpus/$target
    [ -d "$seeds" ] || { echo "no seed corpus $seeds" >&2; exit 2; }
    work=$scratch/corpus/$target
    artifacts=$scratch/findings/$target
    mkdir -p "$work" "$artifacts"
    earlier=$(find "$artifacts" -type f | wc -l)
    cp -n "$seeds"/* "$work"/ 2>/dev/null || true
    log=$scratch/$target.log
    leaks=1
    chunk=0
    case $target in
        # Replies are 8 bytes: a few frames and the noise between them are enough.
        response) options=(-max_len=64) ;;
        # TOMLKit leaks the C strings of every value it hands over (see docs/fuzzing.md), about
        # 1 KB per input: the process is started afresh every million inputs, before the leak
        # reaches the RSS limit. Documents up to 1 KiB: every construct fits, at four times
        # the speed of 4 KiB.
        config) options=(-max_len=1024 -detect_leaks=0) leaks=0 chunk=1000000 ;;
        *) options=(-max_len=1024) ;;
    esac
    echo "== fuzz-$target for ${seconds}s (log: $log)"
    : >"$log"
    executed=0
    started=$SECONDS
    code=0
    while :; do
        left=$(( seconds - (SECONDS - started) ))
        [ "$left" -gt 0 ] || break
        want=$runs
        if [ "$runs" -ge 0 ]; then want=$(( runs - executed )); [ "$want" -gt 0 ] || break; fi
        if [ "$chunk" -gt 0 ] && { [ "$want" -lt 0 ] || [ "$want" -gt "$chunk" ]; }; then want=$chunk; fi
        set +e
        ASAN_OPTIONS=detect_leaks=$leaks "$bin/fuzz-$target" -max_total_time="$left" -runs="$want" -print_final_stats=1 \
            -artifact_prefix="$artifacts/" -timeout=10 -rss_limit_mb=4096 "${options[@]}" "$work" >"$log.run" 2>&1
        code=$?
        set -e
        cat "$log.run" >>"$log"
        ran=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log.run" | grep -o '[0-9]*$' | tail -1)
        executed=$(( executed + ${ran:-0} ))
        # One run unless the target is chunked; a chunk that ended early ran out of time.
        [ "$code" -eq 0 ] && [ "$chunk" -gt 0 ] && [ "${ran:-0}" -ge "$want" ] || break
    done
    rm -f "$log.run"
    elapsed=$(( SECONDS - started ))
    speed=$(( executed / (elapsed > 0 ? elapsed : 1) ))
    crashes=$(( $(find "$artifacts" -type f | wc -l) - earlier ))
    summary+=("$target: ${executed:-?} executions, ${speed:-?} exec/s, exit $code, $crashes finding(s) in $artifacts")
    if [ "$code" -ne 0 ] || [ "$crashes" -ne 0 ]; then
        status=1
        grep -E 'ERROR|Fatal error|panic|SUMMARY|Test unit written' "$log" | head -20 >&2 || true
    fi
done
printf '%s\n' "${summary[@]}"
exit $status
