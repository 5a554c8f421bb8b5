#!/bin/bash
# The Debian package: built from debian/ by dpkg-buildpackage in a copy of
# the tree, installed with apt (which pulls its declared dependencies), then
# checked as a user would: --version, man, the files dpkg -L lists, the
# installed completion. Needs root. Ends with "N passed, N failed"; the
# package stays installed when KEEP_PACKAGE=1, else it is purged.
set -uo pipefail
cd "$(dirname "$0")/.."
src=$PWD
passed=0
failed=0
check() {   # $1: what, then the command that must succeed
    local what=$1; shift
    if "$@" >/dev/null 2>&1; then
        echo "PASS package: $what"; passed=$((passed + 1))
    else
        echo "FAIL package: $what"; failed=$((failed + 1))
    fi
}
finish() {
    echo "${passed} passed, ${failed} failed"
    [ "$failed" -eq 0 ]
    exit
}

work=$(mktemp -d /tmp/prt-package.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir "$work/dpdk-prtip"
# the tracked files as they are now, and new ones not ignored (no build dirs)
{ git ls-files -z; git ls-files -z --others --exclude-standard; } |
    tar --null -T - -cf - | tar -C "$work/dpdk-prtip" -xf -

(cd "$work/dpdk-prtip" && DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" \
    dpkg-buildpackage -us -uc -b) > "$work/build.log" 2>&1
deb=$(ls "$work"/dpdk-prtip_*_amd64.deb 2>/dev/null | head -1)
check "dpkg-buildpackage -b builds a .deb" test -n "$deb"
if [ -z "$deb" ]; then
    tail -30 "$work/build.log"
    finish
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$deb" > "$work/install.log" 2>&1
check "apt-get installs it with its dependencies" dpkg-query -W dpdk-prtip
[ "$failed" -eq 0 ] || { tail -20 "$work/install.log"; finish; }

version=$(sed -n "s/^[[:space:]]*version: '\([0-9.]*\)',/\1/p" "$src/meson.build" | head -1)
check "dpdk-prtip --version says $version" \
    sh -c "dpdk-prtip --version | grep -qF 'dpdk-prtip $version'"
check "man dpdk-prtip renders the option table" \
    sh -c "MANWIDTH=100 man dpdk-prtip 2>/dev/null | grep -q -- '--max-rate'"
files=$(dpkg -L dpdk-prtip)
for f in /usr/bin/dpdk-prtip /usr/share/man/man8/dpdk-prtip.8.gz \
         /usr/share/bash-completion/completions/dpdk-prtip \
         /lib/systemd/system/dpdk-prtip@.service \
         /usr/share/dpdk-prtip/drivers-config/net_ixgbe.conf; do
    check "dpkg -L lists $f" grep -qx "$f" <<< "$files"
done
check "the package depends on nmap's data files" \
    sh -c "dpkg-query -W -f='\${Depends}' dpdk-prtip | grep -q nmap-common"
check "the installed completion completes --max-r" sh -c \
    "bash -c 'source /usr/share/bash-completion/completions/dpdk-prtip;
     COMP_WORDS=(dpdk-prtip -- --max-r); COMP_CWORD=2; _dpdk_prtip;
     echo \"\${COMPREPLY[*]}\"' | grep -qx -- '--max-rate --max-retries --max-runtime'"
check "the unit runs the installed binary with -c" \
    grep -qx 'ExecStart=/usr/bin/dpdk-prtip $EAL_ARGS -- -c /etc/dpdk-prtip/%i.conf' \
    /lib/systemd/system/dpdk-prtip@.service
if command -v systemd-analyze >/dev/null; then
    # verify needs the files the unit names: give it an instance's
    mkdir -p /etc/dpdk-prtip
    made=0
    [ -e /etc/dpdk-prtip/ci-check.env ] || { : > /etc/dpdk-prtip/ci-check.env; made=1; }
    check "systemd-analyze verify accepts dpdk-prtip@ci-check.service" \
        systemd-analyze verify dpdk-prtip@ci-check.service
    [ "$made" = 1 ] && rm -f /etc/dpdk-prtip/ci-check.env
fi
if [ "${KEEP_PACKAGE:-0}" != 1 ]; then
    apt-get purge -y -q dpdk-prtip > /dev/null 2>&1
    check "apt-get purge removes it" sh -c "! dpkg-query -W -f='\${Status}' dpdk-prtip 2>/dev/null | grep -q 'ok installed'"
fi
finish
