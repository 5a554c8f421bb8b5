#!/bin/bash
# Install what dpdk-prtip needs on Debian 12 (when missing) and build it in
# ./build. Idempotent: a second run only rebuilds what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(dpdk libdpdk-dev libhyperscan-dev libpcre2-dev libssl-dev libcmocka-dev libnuma-dev
      meson ninja-build pkg-config python3 python3-pyelftools gcc clang
      iproute2 iptables ethtool tcpdump nmap ndiff python3-libnmap libxml2-utils
      dnsmasq-base snmpd openssh-server redis-server nginx-light vsftpd mosquitto
      debhelper dpkg-dev man-db
      libsqlite3-dev libpq-dev postgresql-15 postgresql-client-15
      libmicrohttpd-dev prometheus chromium tshark)

missing=()
for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "setup: need root to install: ${missing[*]}" >&2
        exit 1
    fi
    echo "setup: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # the daemons (sshd, redis, nginx) are for the test namespaces only: their
    # packages must not start them on this machine (policy-rc.d says no)
    policy=/usr/sbin/policy-rc.d
    made_policy=0
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' > "$policy"
        chmod 755 "$policy"
        made_policy=1
    fi
    # the store's tests start their own PostgreSQL (initdb in a temporary
    # directory): the package must not make and start a system cluster
    mkdir -p /etc/postgresql-common
    grep -qs '^create_main_cluster' /etc/postgresql-common/createcluster.conf ||
        echo 'create_main_cluster = false' >> /etc/postgresql-common/createcluster.conf
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
    if [ "$made_policy" = 1 ]; then rm -f "$policy"; fi
fi

if [ ! -f build/build.ninja ]; then
    meson setup build >/dev/null
fi
ninja -C build >/dev/null
echo "setup: built build/app/dpdk-prtip/dpdk-prtip"
