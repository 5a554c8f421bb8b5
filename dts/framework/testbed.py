"""The testbed: a scanner namespace whose veth dpdk-prtip drives through
net_af_packet, and a target namespace that answers for a whole address
block (AnyIP) with real listeners and iptables zones of known truth.

    [ns scanner] scan0 <--veth--> farm0 [ns target: 198.18.0.1/24,
                                          local 198.19.0.0/17, zones]

The scanner's own address (198.18.0.2) is on no kernel interface: the
scanner answers ARP for it, so the scanner-side kernel never resets replies.
"""
import os
import shutil
import subprocess
import tempfile
import time
import uuid

from . import shell, zones

HERE = os.path.dirname(os.path.abspath(__file__))
SCANNER_IP = "198.18.0.2"
ROUTER_IP = "198.18.0.1"
PEER_IP = "198.18.0.3"  # the kernel's own address, for nmap runs side by side
SCANNER_IP6 = "2001:2::2"
ROUTER_IP6 = "2001:2::1"


class Testbed:
    def __init__(self, tag="dts", ipv6=False):
        self.ipv6 = ipv6
        token = uuid.uuid4().hex[:6]
        self.scan_ns = "prt-%s-s-%s" % (tag, token)
        self.farm_ns = "prt-%s-t-%s" % (tag, token)
        self.scan_if = "scan0"
        self.farm_if = "farm0"
        self.listener = None
        self.services = []
        self.work = None
        self.up = False

    # -- bring-up / tear-down ------------------------------------------------
    def create(self):
        s, f = self.scan_ns, self.farm_ns
        shell.run(["ip", "netns", "add", s])
        shell.run(["ip", "netns", "add", f])
        self.up = True
        shell.run(["ip", "-n", s, "link", "add", self.scan_if, "type", "veth",
                   "peer", "name", self.farm_if, "netns", f])
        for n in (s, f):
            shell.run(["ip", "-n", n, "link", "set", "lo", "up"])
            # the scanner side's kernel stays out of IPv6: its address is dpdk-prtip's
            if n == s or not self.ipv6:
                shell.ns(n, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1",
                         "net.ipv6.conf.default.disable_ipv6=1")
        # veth offloads would leave TCP checksums unfilled for AF_PACKET readers
        shell.ns(s, "ethtool", "-K", self.scan_if, "tx", "off")
        shell.ns(f, "ethtool", "-K", self.farm_if, "tx", "off")
        shell.run(["ip", "-n", s, "link", "set", self.scan_if, "up"])
        shell.run(["ip", "-n", f, "addr", "add", ROUTER_IP + "/24", "dev", self.farm_if])
        shell.run(["ip", "-n", f, "link", "set", self.farm_if, "up"])
        shell.run(["ip", "-n", f, "route", "add", "local", zones.LOCAL_NET, "dev", "lo",
                   "table", "local"])
        for net in zones.DARK_NETS:
            shell.run(["ip", "-n", f, "route", "add", "blackhole", net])
        # answer every probe: no ICMP rate limit, big SYN backlog (syncookies)
        shell.ns(f, "sysctl", "-qw", "net.ipv4.icmp_ratelimit=0",
                 "net.ipv4.icmp_msgs_per_sec=1000000", "net.ipv4.icmp_msgs_burst=1000000",
                 "net.ipv4.tcp_syncookies=1", "net.ipv4.tcp_max_syn_backlog=65536")
        for z in zones.ZONES:
            for rule in z.iptables_rules():
                shell.ns(f, "iptables", *rule)
        if self.ipv6:
            self._setup_ipv6()
        self._start_listeners()
        self._wait_link()
        return self

    def _setup_ipv6(self):
        """The target side in IPv6: the router 2001:2::1 on the veth, AnyIP
        for 2001:2:0:100::/56, a blackhole for the dark block, the zones."""
        f = self.farm_ns
        shell.ns(f, "sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0",
                 "net.ipv6.conf.default.accept_dad=0", "net.ipv6.icmp.ratelimit=0",
                 "net.ipv6.conf.all.accept_ra=0", "net.ipv6.conf.default.accept_ra=0",
                 # UDP services answer from the AnyIP address asked (IPV6_PKTINFO),
                 # which IPv6 allows only with non-local binding
                 "net.ipv6.ip_nonlocal_bind=1")
        shell.run(["ip", "-n", f, "-6", "addr", "add", ROUTER_IP6 + "/64", "dev", self.farm_if,
                   "nodad"])
        shell.run(["ip", "-n", f, "-6", "route", "add", "local", zones.LOCAL_NET6, "dev", "lo",
                   "table", "local"])
        for net in zones.DARK_NETS6:
            shell.run(["ip", "-n", f, "-6", "route", "add", "blackhole", net])
        for z in zones.ZONES6:
            for rule in z.iptables_rules():
                shell.ns(f, "ip6tables", *rule)

    def start_udp_services(self):
        """Real UDP services in the target namespace, answering on every
        AnyIP address: dnsmasq (DNS, 53), snmpd (SNMP, 161, community
        public) and an NTP-like responder (123)."""
        f = self.farm_ns
        # dnsmasq also serves DNS over TCP 53; the truth has no TCP listener
        # there, so that port resets as any closed one does
        for tool in ("iptables", "ip6tables") if self.ipv6 else ("iptables",):
            shell.ns(f, tool, "-A", "INPUT", "-p", "tcp", "--dport", "53", "-j", "REJECT",
                     "--reject-with", "tcp-reset")
        self.work = tempfile.mkdtemp(prefix="prt-udp-")
        snmp_conf = os.path.join(self.work, "snmpd.conf")
        with open(snmp_conf, "w", encoding="utf-8") as fh:
            fh.write("rocommunity public\nsysLocation dts\n")
        cmds = [
            ["dnsmasq", "--keep-in-foreground", "--no-resolv", "--no-hosts", "--port=53",
             "--user=root", "--pid-file=" + os.path.join(self.work, "dnsmasq.pid"),
             "--address=/prtip.test/198.19.0.1", "--log-facility=" + os.path.join(
                 self.work, "dnsmasq.log")],
            ["snmpd", "-f", "-Lf", os.path.join(self.work, "snmpd.log"), "-C", "-c", snmp_conf,
             "-p", os.path.join(self.work, "snmpd.pid"),
             "udp:161,udp6:161" if self.ipv6 else "udp:161"],
            ["/usr/bin/python3", os.path.join(HERE, "ntp_responder.py"), "123"],
        ]
        self._run_services(cmds, "-lun", zones.UDP_LISTEN_PORTS, "UDP services")

    def start_udp_services_elsewhere(self):
        """The UDP services again on ports no table names them by, so only -sV's
        probes can tell what they are: snmpd on 1161 and dnsmasq on 5300 (after
        start_udp_services, whose work directory and snmpd.conf they share)."""
        snmp_conf = os.path.join(self.work, "snmpd.conf")
        cmds = [
            ["dnsmasq", "--keep-in-foreground", "--no-resolv", "--no-hosts", "--port=5300",
             "--user=root", "--pid-file=" + os.path.join(self.work, "dnsmasq5300.pid"),
             "--address=/prtip.test/198.19.0.1"],
            ["snmpd", "-f", "-Lf", os.path.join(self.work, "snmpd1161.log"), "-C", "-c",
             snmp_conf, "-p", os.path.join(self.work, "snmpd1161.pid"), "udp:1161"],
        ]
        self._run_services(cmds, "-lun", (1161, 5300), "UDP services on unlisted ports")

    def start_real_services(self):
        """Real daemons on every AnyIP address, for -sV: vsftpd (2100), OpenSSH
        (2200), Python's smtpd (2526), Redis (6379), nginx (8081, and HTTPS on
        8443) and Python's http.server (8888)."""
        if self.work is None:
            self.work = tempfile.mkdtemp(prefix="prt-svc-")
        w = self.work
        key = os.path.join(w, "ssh_host_ed25519_key")
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key], check=True)
        os.makedirs("/run/sshd", exist_ok=True)  # sshd's privilege separation directory
        with open(os.path.join(w, "index.html"), "w", encoding="utf-8") as fh:
            fh.write("<html><title>prtip</title></html>\n")
        nginx_conf = os.path.join(w, "nginx.conf")
        crt, crt_key = os.path.join(w, "nginx.pem"), os.path.join(w, "nginx.key")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                        crt_key, "-out", crt, "-days", "30", "-subj",
                        "/C=XX/O=prtip tests/CN=nginx.prtip.test"], check=True,
                       capture_output=True)
        with open(nginx_conf, "w", encoding="utf-8") as fh:
            fh.write("daemon off; pid %s/nginx.pid; error_log %s/nginx.err;\n"
                     "events {}\nhttp { access_log off; server { listen 8081; root %s; }\n"
                     "server { listen 8443 ssl; ssl_certificate %s; ssl_certificate_key %s;"
                     " root %s; } }\n" % (w, w, w, crt, crt_key, w))
        vsftpd_conf = os.path.join(w, "vsftpd.conf")
        os.makedirs(os.path.join(w, "vsftpd-empty"), exist_ok=True)
        with open(vsftpd_conf, "w", encoding="utf-8") as fh:
            fh.write("listen=YES\nlisten_port=2100\nbackground=NO\nanonymous_enable=NO\n"
                     "local_enable=NO\nsecure_chroot_dir=%s/vsftpd-empty\n"
                     "vsftpd_log_file=%s/vsftpd.log\n" % (w, w))
        cmds = [
            ["/usr/sbin/vsftpd", vsftpd_conf],
            ["/usr/bin/python3", "-W", "ignore", "-m", "smtpd", "-n", "-c", "DebuggingServer",
             "0.0.0.0:2526"],
            ["/usr/sbin/sshd", "-D", "-e", "-p", "2200", "-h", key, "-o",
             "PidFile=" + os.path.join(w, "sshd.pid"), "-o", "ListenAddress=0.0.0.0"],
            ["redis-server", "--port", "6379", "--bind", "0.0.0.0", "--protected-mode", "no",
             "--save", "", "--appendonly", "no", "--dir", w],
            ["nginx", "-c", nginx_conf],
            ["/usr/bin/python3", "-m", "http.server", "8888", "--bind", "0.0.0.0",
             "--directory", w],
        ]
        self._run_services(cmds, "-ltn", (2100, 2200, 2526, 6379, 8081, 8443, 8888),
                           "real services")

    def _run_services(self, cmds, ss_args, ports, what):
        """Start @p cmds in the target namespace; ready when each port has a socket."""
        for cmd in cmds:
            self.services.append(subprocess.Popen(
                ["ip", "netns", "exec", self.farm_ns] + cmd, stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        deadline = time.time() + 15
        while time.time() < deadline:
            out = shell.ns(self.farm_ns, "ss", ss_args).stdout
            if all(":%d " % p in out for p in ports):
                return
            time.sleep(0.2)
        raise shell.CommandError("%s did not start: %s" % (what, out))

    def start_tls_servers(self):
        """openssl s_server with test certificates on every AnyIP address:
        TLS 1.2 only (RSA 2048) on 4431, TLS 1.3 only (EC P-256) on 4432, a 1 MiB
        chain on 4433, and on 4434 another certificate for SNI sni.prtip.test.
        @return {port: path of the certificate it serves} (4434: the SNI one)"""
        f = self.farm_ns
        if self.work is None:
            self.work = tempfile.mkdtemp(prefix="prt-tls-")
        certs = {}
        for port, key, version in ((4431, ["rsa:2048"], "-tls1_2"),
                                   (4432, ["ec", "-pkeyopt", "ec_paramgen_curve:P-256"],
                                    "-tls1_3")):
            crt = os.path.join(self.work, "tls%d.pem" % port)
            keyf = os.path.join(self.work, "tls%d.key" % port)
            subprocess.run(["openssl", "req", "-x509", "-newkey"] + key + [
                "-nodes", "-keyout", keyf, "-out", crt, "-days", "365",
                "-subj", "/C=XX/ST=Testing/O=prtip tests/CN=tls%d.prtip.test" % port,
                "-addext", "subjectAltName=DNS:tls%d.prtip.test,DNS:www.prtip.test,"
                "IP:198.19.0.5" % port], check=True, capture_output=True)
            self.services.append(subprocess.Popen(
                ["ip", "netns", "exec", f, "openssl", "s_server", "-quiet", "-accept",
                 str(port), "-cert", crt, "-key", keyf, version, "-naccept", "1000000"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            certs[port] = crt
        # 4433: TLS 1.2 whose certificate chain is 1 MiB (the first certificate 700 times)
        chain = os.path.join(self.work, "chain.pem")
        with open(certs[4431], encoding="ascii") as src, open(chain, "w",
                                                                encoding="ascii") as dst:
            dst.write(src.read() * 700)
        self.services.append(subprocess.Popen(
            ["ip", "netns", "exec", f, "openssl", "s_server", "-quiet", "-accept", "4433",
             "-cert", certs[4431], "-key", os.path.join(self.work, "tls4431.key"),
             "-cert_chain", chain, "-tls1_2", "-naccept", "1000000"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        # 4434: TLS 1.3, another certificate for SNI sni.prtip.test (-servername)
        sni_crt = os.path.join(self.work, "sni.pem")
        sni_key = os.path.join(self.work, "sni.key")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                        sni_key, "-out", sni_crt, "-days", "30", "-subj",
                        "/C=XX/O=prtip tests/CN=sni.prtip.test"], check=True,
                       capture_output=True)
        self.services.append(subprocess.Popen(
            ["ip", "netns", "exec", f, "openssl", "s_server", "-quiet", "-accept", "4434",
             "-cert", certs[4432], "-key", os.path.join(self.work, "tls4432.key"),
             "-servername", "sni.prtip.test", "-cert2", sni_crt, "-key2", sni_key,
             "-tls1_3", "-naccept", "1000000"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        certs[4434] = sni_crt
        deadline = time.time() + 15
        while time.time() < deadline:
            out = shell.ns(f, "ss", "-ltn").stdout
            if all(":%d " % p in out for p in (4431, 4432, 4433, 4434)):
                return certs
            time.sleep(0.2)
        raise shell.CommandError("openssl s_server did not start: %s" % out)

    def start_single_conn_servers(self):
        """Servers that serve one connection at a time, as many embedded ones do,
        on every AnyIP address: openssl s_server -www with TLS 1.3 only (4441) and
        TLS 1.2 only (4442), Python's single-threaded HTTPServer (8890), and a
        mosquitto broker (1883, anonymous)."""
        if self.work is None:
            self.work = tempfile.mkdtemp(prefix="prt-single-")
        w = self.work
        crt, key = os.path.join(w, "single.pem"), os.path.join(w, "single.key")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                        key, "-out", crt, "-days", "30", "-subj",
                        "/C=XX/O=prtip tests/CN=single.prtip.test"], check=True,
                       capture_output=True)
        mosq_conf = os.path.join(w, "mosquitto.conf")
        with open(mosq_conf, "w", encoding="utf-8") as fh:
            fh.write("listener 1883 0.0.0.0\nallow_anonymous true\npersistence false\n"
                     "log_dest none\n")
        single_http = ("import functools, http.server; http.server.HTTPServer(('0.0.0.0', 8890),"
                       " functools.partial(http.server.SimpleHTTPRequestHandler, "
                       "directory=%r)).serve_forever()" % w)
        cmds = [
            ["openssl", "s_server", "-quiet", "-www", "-accept", "4441", "-cert", crt, "-key",
             key, "-tls1_3", "-naccept", "1000000"],
            ["openssl", "s_server", "-quiet", "-www", "-accept", "4442", "-cert", crt, "-key",
             key, "-tls1_2", "-naccept", "1000000"],
            ["/usr/bin/python3", "-c", single_http],
            ["/usr/sbin/mosquitto", "-c", mosq_conf],
        ]
        self._run_services(cmds, "-ltn", (4441, 4442, 8890, 1883), "single-connection servers")

    def start_banner_farm(self):
        """Talking services (banner_farm.FARM) on every AnyIP address."""
        self._start_farm("banner_farm.py")

    def start_hostile_farm(self):
        """Servers that send hostile bytes (hostile_farm.BANNERS) on every AnyIP address."""
        self._start_farm("hostile_farm.py")

    def _start_farm(self, script):
        proc = subprocess.Popen(
            ["ip", "netns", "exec", self.farm_ns, "/usr/bin/python3",
             os.path.join(HERE, script)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.services.append(proc)
        if proc.stdout.readline().strip() != "ready":
            raise shell.CommandError("%s did not start" % script)

    def start_hostile_tls(self, port, subject, san):
        """openssl s_server (TLS 1.2) on @p port with a certificate whose subject
        and subjectAltName are the bytes given (UTF-8 strings, -utf8).
        @return the certificate's path"""
        if self.work is None:
            self.work = tempfile.mkdtemp(prefix="prt-tls-")
        crt = os.path.join(self.work, "hostile%d.pem" % port)
        key = os.path.join(self.work, "hostile%d.key" % port)
        subprocess.run([b"openssl", b"req", b"-x509", b"-newkey", b"rsa:2048", b"-nodes",
                        b"-keyout", key.encode(), b"-out", crt.encode(), b"-days", b"30",
                        b"-utf8", b"-subj", subject, b"-addext", b"subjectAltName=" + san],
                       check=True, capture_output=True)
        self.services.append(subprocess.Popen(
            ["ip", "netns", "exec", self.farm_ns, "openssl", "s_server", "-quiet", "-accept",
             str(port), "-cert", crt, "-key", key, "-tls1_2", "-naccept", "1000000"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        deadline = time.time() + 15
        while time.time() < deadline:
            if ":%d " % port in shell.ns(self.farm_ns, "ss", "-ltn").stdout:
                return crt
            time.sleep(0.2)
        raise shell.CommandError("openssl s_server did not start on %d" % port)

    def insert_faulty_wire(self, seed=1):
        """Put faulty_wire.py between the veth and the target's stack: the
        target's addresses move to a new veth pair (wire1, its peer wire0), and
        the wire forwards frames between farm0 and wire0, losing, duplicating,
        corrupting and reordering some. @return the wire's process (stop it with
        remove_faulty_wire, which restores the direct link)"""
        f = self.farm_ns
        shell.run(["ip", "-n", f, "link", "add", "wire0", "type", "veth", "peer", "name",
                   "wire1"])
        shell.run(["ip", "-n", f, "addr", "del", ROUTER_IP + "/24", "dev", self.farm_if])
        shell.run(["ip", "-n", f, "addr", "add", ROUTER_IP + "/24", "dev", "wire1"])
        for dev in (self.farm_if, "wire0", "wire1"):
            # whole frames, checksums filled: the wire reads them as they go on the wire
            shell.ns(f, "ethtool", "-K", dev, "tx", "off", "tso", "off", "gso", "off",
                     "gro", "off")
            shell.run(["ip", "-n", f, "link", "set", dev, "up"])
        # the scanner learnt farm0's MAC for the router: wire1 takes it over
        mac = shell.run(["ip", "-n", f, "-o", "link", "show", self.farm_if]).stdout.split(
            "link/ether ")[1].split()[0]
        shell.run(["ip", "-n", f, "link", "set", self.farm_if, "address", "02:00:00:00:fa:11"])
        shell.run(["ip", "-n", f, "link", "set", "wire1", "address", mac])
        shell.run(["ip", "-n", f, "link", "set", self.farm_if, "promisc", "on"])
        shell.run(["ip", "-n", f, "link", "set", "wire0", "promisc", "on"])
        proc = subprocess.Popen(
            ["ip", "netns", "exec", f, "/usr/bin/python3", os.path.join(HERE, "faulty_wire.py"),
             self.farm_if, "wire0", str(seed)], stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, text=True)
        if proc.stdout.readline().strip() != "ready":
            raise shell.CommandError("the faulty wire did not start")
        return proc

    def remove_faulty_wire(self, proc):
        """Stop the wire; @return its counts line. The target's address goes back to farm0."""
        proc.terminate()
        counts = proc.stdout.readline().strip()
        proc.wait(timeout=10)
        f = self.farm_ns
        mac = shell.run(["ip", "-n", f, "-o", "link", "show", "wire1"]).stdout.split(
            "link/ether ")[1].split()[0]
        shell.run(["ip", "-n", f, "link", "del", "wire0"])
        shell.run(["ip", "-n", f, "link", "set", self.farm_if, "address", mac])
        shell.run(["ip", "-n", f, "link", "set", self.farm_if, "promisc", "off"])
        shell.run(["ip", "-n", f, "addr", "add", ROUTER_IP + "/24", "dev", self.farm_if])
        return counts

    def _start_listeners(self):
        self.listener = subprocess.Popen(
            ["ip", "netns", "exec", self.farm_ns, "/usr/bin/python3", os.path.join(HERE, "listeners.py")]
            + [str(p) for p in zones.LISTEN_PORTS],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.listener.stdout.readline()
        if line.strip() != "ready":
            raise shell.CommandError("target listeners did not start")

    def _wait_link(self):
        deadline = time.time() + 10
        while time.time() < deadline:
            out = shell.run(["ip", "-n", self.farm_ns, "-o", "link", "show", self.farm_if]).stdout
            if "LOWER_UP" in out:
                return
            time.sleep(0.1)
        raise shell.CommandError("veth link did not come up")

    def destroy(self):
        for proc in self.services:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.services = []
        if self.work is not None:
            shutil.rmtree(self.work, ignore_errors=True)
            self.work = None
        if self.listener is not None:
            self.listener.terminate()
            try:
                self.listener.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.listener.kill()
            self.listener = None
        if self.up:
            for n in (self.scan_ns, self.farm_ns):
                shell.run(["ip", "netns", "del", n], check=False)
            self.up = False

    def __enter__(self):
        return self.create()

    def __exit__(self, *exc):
        self.destroy()

    def add_kernel_peer(self, ip=PEER_IP):
        """Give the scanner namespace's kernel its own address, so a kernel
        scanner (nmap) can probe the same targets from the same veth. It must
        differ from SCANNER_IP: that one belongs to dpdk-prtip alone."""
        shell.run(["ip", "-n", self.scan_ns, "addr", "add", ip + "/24", "dev", self.scan_if])
        shell.run(["ip", "-n", self.scan_ns, "route", "add", zones.TARGET_NET, "via", ROUTER_IP])
        return ip

    def add_segment_hosts(self, ips):
        """Addresses of the target namespace on the scanner's own segment (the
        veth's 198.18.0.0/24 or 2001:2::/64), which answer ARP or neighbor
        solicitations there: hosts for -PR."""
        for ip in ips:
            v6 = ":" in ip
            shell.run(["ip", "-n", self.farm_ns, "addr", "add", ip + ("/128" if v6 else "/32"),
                       "dev", self.farm_if] + (["nodad"] if v6 else []))

    def run_nmap(self, args, xml, peer_ip=PEER_IP, timeout=300):
        """nmap from the kernel side of the scanner's veth (add_kernel_peer
        first): numeric, one retry, XML to XML; returns CompletedProcess."""
        return subprocess.run(["timeout", str(timeout), "ip", "netns", "exec", self.scan_ns,
                               "nmap", "-n", "-S", peer_ip, "-e", self.scan_if,
                               "--max-retries", "1", "-oX", xml] + args,
                              capture_output=True, text=True, timeout=timeout + 30)

    # -- scanner ------------------------------------------------------------
    def eal_args(self, prefix=None):
        """EAL arguments for a run on this testbed: no PCI, own prefix, no hugepages."""
        prefix = prefix or "prt-" + uuid.uuid4().hex[:8]
        return ["--no-pci", "--no-huge", "-m", "512", "--file-prefix", prefix,
                "--lcores", "0@0,1@1,2@0", "--log-level", "notice",
                "--vdev", "net_af_packet0,iface=%s" % self.scan_if]

    def scan_args(self, states="all", discovery=False):
        """The scanner's addresses. The suites compare every pair with the ground
        truth, silent ones too, so the streams write every state unless
        STATES says otherwise (None: the default, answers only). Port scans
        skip host discovery (-Pn: dark hosts' pairs are part of the truth)
        unless DISCOVERY; -sn needs it."""
        # the test ranges are benchmarking space: special-purpose, skipped by default
        args = ["-S", SCANNER_IP, "--router-ip", ROUTER_IP, "--allow-special-ranges"]
        if not discovery:
            args.append("-Pn")
        if states is not None:
            args += ["--output-states", states]
        if self.ipv6:
            args += ["-S", SCANNER_IP6, "--router-ip", ROUTER_IP6]
        return args

    def run_scanner(self, binary, args, timeout=300, eal=None, stdin_text=None):
        """Run dpdk-prtip in the scanner namespace; returns CompletedProcess."""
        eal = eal if eal is not None else self.eal_args()
        cmd = ["timeout", "--signal=INT", "--kill-after=10", str(timeout),
               "ip", "netns", "exec", self.scan_ns, binary] + eal + ["--"] + args
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout + 30,
                              input=stdin_text if stdin_text is not None else "")

    def capture(self, filter_expr, path):
        """Start tcpdump on the target side; returns the process (stop with stop_capture)."""
        proc = subprocess.Popen(
            ["ip", "netns", "exec", self.farm_ns, "tcpdump", "-i", self.farm_if, "-n", "-U", "--immediate-mode", "-B", "65536",
             "-w", path, filter_expr], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True)
        # tcpdump says "listening on" once the capture is armed
        proc.stderr.readline()
        return proc

    @staticmethod
    def stop_capture(proc):
        # tcpdump stops without draining its ring: give it time to write
        time.sleep(1.5)
        proc.terminate()
        proc.wait(timeout=10)
