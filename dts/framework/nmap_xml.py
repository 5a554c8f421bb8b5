"""Reading nmap's XML output: the state of every (ip, port) it scanned, and
the services -sV names (with ours from -oJ, to compare)."""
import json
import xml.etree.ElementTree as ET


def expand_ports(spec):
    """"22,80-82" -> [22, 80, 81, 82]"""
    out = []
    for part in filter(None, spec.split(",")):
        lo, _, hi = part.partition("-")
        out.extend(range(int(lo), int(hi or lo) + 1))
    return out


def nmap_states(path):
    """{(ip, port): state} of an nmap XML file."""
    states = {}
    for host in ET.parse(path).getroot().iter("host"):
        ip = host.find("address").get("addr")
        for port in host.iter("port"):
            states[(ip, int(port.get("portid")))] = port.find("state").get("state")
        # ports in nmap's "extraports" (not listed) share one state
        for extra in host.iter("extraports"):
            for reasons in extra.iter("extrareasons"):
                for p in expand_ports(reasons.get("ports", "")):
                    states[(ip, p)] = extra.get("state")
    return states


def xml_ports(path):
    """{(ip, port): (state, reason)} listed in an nmap XML file, and
    {ip: {state: count}} of its extraports."""
    listed, extra = {}, {}
    for host in ET.parse(path).getroot().iter("host"):
        ip = host.find("address").get("addr")
        for port in host.iter("port"):
            st = port.find("state")
            listed[(ip, int(port.get("portid")))] = (st.get("state"), st.get("reason"))
        for e in host.iter("extraports"):
            extra.setdefault(ip, {})[e.get("state")] = int(e.get("count"))
    return listed, extra


def nmap_services(path):
    """{port: (service, product, version)} of ports nmap identified by probing;
    a service inside TLS is named as nmap's table shows it ("ssl/http")."""
    got = {}
    for port in ET.parse(path).getroot().iter("port"):
        svc = port.find("service")
        if svc is not None and svc.get("method") == "probed":
            name = svc.get("name")
            if svc.get("tunnel"):
                name = svc.get("tunnel") + "/" + name
            got[int(port.get("portid"))] = (name, svc.get("product", ""),
                                            svc.get("version", ""))
    return got


def our_services(path):
    """The same of dpdk-prtip's -oJ file."""
    got = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if "service" in rec and "banner" in rec:
                name = rec["service"]
                if rec.get("tunnel"):
                    name = rec["tunnel"] + "/" + name
                got[rec["port"]] = (name, rec["product"], rec["version"])
    return got


def os_results(path):
    """{ip: (fingerprint tests {test: {attr: value}}, [(osmatch name, accuracy)])} of an
    nmap-format XML file's <os> elements (nmap's or ours)."""
    out = {}
    for host in ET.parse(path).getroot().iter("host"):
        os_el = host.find("os")
        if os_el is None:
            continue
        ip = host.find("address").get("addr")
        fp = os_el.find("osfingerprint")
        tests = parse_os_fingerprint(fp.get("fingerprint")) if fp is not None else {}
        matches = [(m.get("name"), int(m.get("accuracy"))) for m in os_el.iter("osmatch")]
        out[ip] = (tests, matches)
    return out


def os_sequences(path):
    """{ip: {element: {attribute: value}}} of the report nmap writes beside <os>:
    <uptime>, <tcpsequence>, <ipidsequence>, <tcptssequence> (absent ones left out)."""
    out = {}
    for host in ET.parse(path).getroot().iter("host"):
        ip = host.find("address").get("addr")
        out[ip] = {name: dict(el.attrib) for name in
                   ("uptime", "tcpsequence", "ipidsequence", "tcptssequence")
                   for el in [host.find(name)] if el is not None}
    return out


def parse_os_fingerprint(text):
    """nmap's wrapped "OS:SCAN(...)SEQ(...)" lines -> {test: {attr: value}}."""
    flat = "".join(line[3:] if line.startswith("OS:") else line
                   for line in text.strip().splitlines())
    tests = {}
    for group in flat.split(")"):
        name, _, body = group.partition("(")
        if not name:
            continue
        tests[name] = dict(kv.partition("=")[::2] for kv in body.split("%") if kv)
    return tests
