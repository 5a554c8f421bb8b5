#!/bin/bash
# Every test: unit tests and fuzz-corpus replays (gcc, clang, and gcc with
# ASan+UBSan), the Debian package built, installed and checked, then the
# end-to-end dts suites on a netns testbed, with the
# release binary and again with the sanitizer binary. Needs root.
# Prints each runner's own closing lines, then one overall
# "N passed, N failed" line (test counts of cmocka and dts together).
set -uo pipefail
cd "$(dirname "$0")/.."
bash dts/setup.sh || exit 1

passed=0
failed=0
count_meson() {   # $1: build dir; runs the unit suite, adds its cmocka test counts
    local out ok bad crashed
    out=$(meson test -C "$1" --suite unit --print-errorlogs 2>&1)
    echo "$out" | grep -E '^ *[0-9]+/[0-9]+ |^(Ok|Fail|Timeout): ' >&2
    # cmocka's own closing lines, one per executable, are in the test log
    ok=$(grep -oE '\[  PASSED  \] [0-9]+' "$1/meson-logs/testlog.txt" | awk '{s+=$4} END {print s+0}')
    bad=$(grep -oE '\[  FAILED  \] [0-9]+ test' "$1/meson-logs/testlog.txt" | awk '{s+=$4} END {print s+0}')
    # the corpus replays close with "N passed, N failed" of their own
    ok=$((ok + $(grep -oE '^[0-9]+ passed, 0 failed' "$1/meson-logs/testlog.txt" | awk '{s+=$1} END {print s+0}')))
    # an executable that crashed or timed out printed no FAILED line: count it once
    crashed=$(echo "$out" | grep -E '^(Fail|Timeout): ' | awk '{s+=$2} END {print s+0}')
    [ "$crashed" -gt "$bad" ] && bad=$crashed
    echo "unit ($1): ${ok} passed, ${bad} failed" >&2
    passed=$((passed + ok)); failed=$((failed + bad))
}

build_variant() { # $1 dir, $2.. meson options
    local dir=$1; shift
    if [ ! -f "$dir/build.ninja" ]; then
        meson setup "$dir" "$@" >/dev/null || { echo "setup of $dir failed"; failed=$((failed + 1)); return 1; }
    fi
    ninja -C "$dir" >/dev/null || { echo "build of $dir failed"; ninja -C "$dir" | tail -20; failed=$((failed + 1)); return 1; }
}

echo "== unit tests (gcc)"
count_meson build
echo "== unit tests (clang)"
CC=clang build_variant build-clang && count_meson build-clang
echo "== unit tests (gcc, ASan + UBSan)"
build_variant build-asan -Db_sanitize=address,undefined -Db_lundef=false \
    && UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 count_meson build-asan

run_counted() {   # $@: a runner that ends with "N passed, N failed"; adds its counts
    local out line f
    out=$(mktemp)
    "$@" | tee "$out"
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out" | tail -1)
    rm -f "$out"
    if [ -z "$line" ]; then
        echo "$* did not finish"; failed=$((failed + 1)); return
    fi
    passed=$((passed + ${line%% passed*}))
    f=${line#*, }; failed=$((failed + ${f%% failed}))
}

run_dts() {       # $@: dts/main.py arguments
    run_counted /usr/bin/python3 dts/main.py "$@"
}

echo "== Debian package (dpkg-buildpackage, install, check, purge)"
run_counted bash tests/package.sh

echo "== dts (end to end, release build)"
run_dts --binary build/app/dpdk-prtip/dpdk-prtip

echo "== dts again with the ASan + UBSan (and LeakSanitizer) build"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1 \
    run_dts --binary build-asan/app/dpdk-prtip/dpdk-prtip --output dts/output/asan

echo "== profiling smoke (profile-scenario.sh syn-1k, every type)"
run_counted /usr/bin/python3 profiling/smoke.py

echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
