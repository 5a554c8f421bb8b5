#!/bin/bash
# profile-scenario.sh --scenario NAME --type cpu|io|memory|heap|syscalls|writes|all [--output-dir D]
#                     [--freq HZ] [--runs N] | --list
# Builds a release binary with frame pointers in build-prof (perf walks our
# stacks by them), installs perf and valgrind when missing, then runs
# profiling/profile.py.
# Needs root (namespaces, perf). See docs/profiling.md.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--list" ]; then
    exec /usr/bin/python3 profiling/profile.py --list
fi
bash dts/setup.sh >/dev/null
missing=()
command -v perf >/dev/null || missing+=(linux-perf)
command -v valgrind >/dev/null || missing+=(valgrind)
if [ ${#missing[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        "${missing[@]}" >/dev/null
fi
# perf trace (the syscalls type) reads the syscall tracepoints from tracefs
mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing
if [ ! -f build-prof/build.ninja ]; then
    meson setup build-prof --buildtype=release -Dtests=false \
        -Dc_args=-fno-omit-frame-pointer >/dev/null
fi
ninja -C build-prof >/dev/null
exec /usr/bin/python3 profiling/profile.py --binary build-prof/app/dpdk-prtip/dpdk-prtip "$@"
