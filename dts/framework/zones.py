"""The target network's ground truth: address zones shaped by iptables.

Every zone is an address block in 198.19.0.0/16 with a rule for what a SYN
to each port gets. The same table builds the iptables rules in the target
namespace and predicts the scanner's answer, so the truth cannot drift from
the setup.
"""
import ipaddress

# Ports with a real listening socket in the target namespace (AnyIP: every
# local address answers on them).
LISTEN_PORTS = (22, 80, 443, 8080)
# UDP services a UDP suite starts (Testbed.start_udp_services): DNS, NTP, SNMP
UDP_LISTEN_PORTS = (53, 123, 161)

OPEN = ("open", "syn-ack")
CLOSED = ("closed", "reset")
DROPPED = ("filtered", "no-response")
# reasons are nmap's words in every format, for ICMP and ICMPv6 alike
PORT_UNREACH = ("filtered", "port-unreach")
ADMIN_PROHIB = ("filtered", "admin-prohibited")
PORT_UNREACH6 = PORT_UNREACH
ADMIN_PROHIB6 = ADMIN_PROHIB


class Zone:
    """A block of addresses and the iptables target that shapes it."""

    def __init__(self, name, cidr, action=None, ports=None, local=True):
        self.name = name
        self.net = ipaddress.ip_network(cidr)
        self.action = action  # None: the kernel answers (listener or RST)
        self.ports = ports    # None: every port; else only these
        self.local = local    # False: routed to a blackhole (dark space)

    @property
    def v6(self):
        return self.net.version == 6

    def iptables_rules(self):
        """The zone's rules for TCP and, but for tcp-reset, the same for UDP
        (for ip6tables when the zone is IPv6)."""
        if self.action is None:
            return []
        icmp = "icmp6-" if self.v6 else "icmp-"
        target = {
            "drop": ["-j", "DROP"],
            "reject-port": ["-j", "REJECT", "--reject-with", icmp + "port-unreachable"],
            "reject-admin": ["-j", "REJECT", "--reject-with",
                             icmp + ("adm-prohibited" if self.v6 else "admin-prohibited")],
            "reset": ["-j", "REJECT", "--reject-with", "tcp-reset"],
        }[self.action]
        rules = []
        for proto in ("tcp", "udp"):
            if proto == "udp" and self.action == "reset":
                continue
            base = ["-A", "INPUT", "-d", str(self.net), "-p", proto]
            if self.ports is None:
                rules.append(base + target)
            else:
                rules.extend(base + ["--dport", str(p)] + target for p in self.ports)
        return rules

    def expect_udp(self, port):
        """(state, reason) of a UDP probe, nmap's -sU semantics."""
        port_unreach = ("closed", "port-unreach")
        if not self.local:
            return ("open|filtered", "no-response")
        if self.action not in (None, "reset") and (self.ports is None or port in self.ports):
            return {"drop": ("open|filtered", "no-response"),
                    "reject-port": port_unreach,
                    "reject-admin": ADMIN_PROHIB
                    }[self.action]
        if port in UDP_LISTEN_PORTS:
            return ("open", "udp-response")
        return port_unreach

    def expect(self, port):
        if not self.local:
            return DROPPED
        if self.action is not None and (self.ports is None or port in self.ports):
            return {"drop": DROPPED, "reject-port": PORT_UNREACH6 if self.v6 else PORT_UNREACH,
                    "reject-admin": ADMIN_PROHIB6 if self.v6 else ADMIN_PROHIB,
                    "reset": CLOSED}[self.action]
        return OPEN if port in LISTEN_PORTS else CLOSED


# Zones are checked in order: the specific ones first, plain hosts last.
ZONES = [
    Zone("closed-22", "198.19.1.0/24", "reset", ports=(22,)),
    Zone("drop", "198.19.16.0/22", "drop"),
    Zone("port-unreachable", "198.19.20.0/24", "reject-port"),
    Zone("admin-prohibited", "198.19.21.0/24", "reject-admin"),
    Zone("drop-80", "198.19.22.0/24", "drop", ports=(80,)),
    Zone("dark", "198.19.128.0/17", local=False),
    Zone("hosts", "198.19.0.0/17"),
]

# The same zones in IPv6 (Testbed(ipv6=True)): 2001:2:0:100::/56 answers,
# 2001:2:0:200::/56 is blackholed.
ZONES6 = [
    Zone("closed-22-v6", "2001:2:0:101::/64", "reset", ports=(22,)),
    Zone("drop-v6", "2001:2:0:110::/64", "drop"),
    Zone("port-unreachable-v6", "2001:2:0:120::/64", "reject-port"),
    Zone("admin-prohibited-v6", "2001:2:0:121::/64", "reject-admin"),
    Zone("drop-80-v6", "2001:2:0:122::/64", "drop", ports=(80,)),
    Zone("dark-v6", "2001:2:0:200::/56", local=False),
    Zone("hosts-v6", "2001:2:0:100::/56"),
]

# What the target namespace answers for (AnyIP) and what it blackholes.
LOCAL_NET = "198.19.0.0/17"
LOCAL_NET6 = "2001:2:0:100::/56"
TARGET_NET = "198.19.0.0/16"
DARK_NETS = [str(z.net) for z in ZONES if not z.local]
DARK_NETS6 = [str(z.net) for z in ZONES6 if not z.local]


def zone_of(ip):
    addr = ipaddress.ip_address(ip)
    for z in ZONES + ZONES6:
        if addr.version != z.net.version:
            continue
        if addr in z.net:
            return z
    raise ValueError("%s is outside the target network" % ip)


def truth(ip, port):
    """(state, reason) the scanner must report for (ip, port)."""
    return zone_of(ip).expect(port)


# What each TCP scan type reports for what the target does to a SYN (the
# zone's behaviour), on a Linux target: a listening socket drops a segment
# without SYN, ACK or RST (FIN, NULL, Xmas) and resets one with ACK (ACK,
# Window, Maimon); a closed port resets everything; resets carry window 0.
_STEALTH = {
    #          listener            closed (reset)        dropped
    "fin":    (("open|filtered", "no-response"), ("closed", "reset"), ("open|filtered", "no-response")),
    "null":   (("open|filtered", "no-response"), ("closed", "reset"), ("open|filtered", "no-response")),
    "xmas":   (("open|filtered", "no-response"), ("closed", "reset"), ("open|filtered", "no-response")),
    "maimon": (("closed", "reset"), ("closed", "reset"), ("open|filtered", "no-response")),
    "ack":    (("unfiltered", "reset"), ("unfiltered", "reset"), ("filtered", "no-response")),
    "window": (("closed", "reset"), ("closed", "reset"), ("filtered", "no-response")),
}


def truth_for(scan_type, ip, port):
    """(state, reason) scan type 'syn', 'fin', 'udp', ... must report for (ip, port)."""
    if scan_type == "udp":
        return zone_of(ip).expect_udp(port)
    syn = truth(ip, port)
    if scan_type == "connect":
        # the SYN's answers; a reset named as nmap -sT does, and a port
        # unreachable closed (connect() gets ECONNREFUSED from it)
        if syn == CLOSED:
            return ("closed", "conn-refused")
        return ("closed", syn[1]) if syn in (PORT_UNREACH, PORT_UNREACH6) else syn
    if scan_type == "syn" or syn in (PORT_UNREACH, ADMIN_PROHIB):
        return syn  # ICMP unreachable is filtered for every TCP scan type
    listener, closed, dropped = _STEALTH[scan_type]
    return {OPEN: listener, CLOSED: closed, DROPPED: dropped}[syn]
