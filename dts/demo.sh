#!/bin/bash
# Set everything up and scan the built-in demo target network:
# a network namespace answering for 198.19.0.0/17 with real listeners and
# iptables zones (closed, dropped, ICMP-rejected, dark), reached through a
# veth that dpdk-prtip drives with net_af_packet. Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
bash dts/setup.sh
exec /usr/bin/python3 dts/main.py --demo
