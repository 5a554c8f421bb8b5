"""Reading nmap's XML output: the state of every (ip, port) it scanned."""
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
