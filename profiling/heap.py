#!/usr/bin/python3
"""Reading valgrind's reports for profile.py's heap type: the peak snapshot
of a massif report (ms_print's text), and memcheck's loss records sorted
into ours, DPDK's, and "possibly lost" blocks with the reason each is."""
import re

def massif_summary(report):
    """ms_print's header and graph, then the peak snapshot's row and its
    allocation tree (the part that says where the peak's bytes are)."""
    lines = report.splitlines()
    table = next((i for i, l in enumerate(lines) if re.match(r"\s+n\s+time\(", l)), len(lines))
    out = lines[:max(table - 1, 0)]
    m = re.search(r"Detailed snapshots: \[.*?(\d+) \(peak\)", report)
    if m is None:
        return "\n".join(out + ["(no peak snapshot)"]) + "\n"
    peak = m.group(1)
    start = next((i for i, l in enumerate(lines) if re.match(r"\s+%s\s+[\d,]+\s" % peak, l)),
                 None)
    if start is None:
        return "\n".join(out + ["(peak snapshot %s not found)" % peak]) + "\n"
    end = next((i for i in range(start + 1, len(lines))
                if re.match(r"\s+n\s+time\(", lines[i])), len(lines))
    head = next(i for i in range(table, len(lines)) if lines[i].startswith("-"))
    out += ["", "peak snapshot %s:" % peak] + lines[table:head + 1] + lines[start:end]
    return "\n".join(out).rstrip("-\n") + "\n"


def massif_instructions(path):
    """The instructions a massif file's process ran (its last snapshot's time):
    the scanner's lcores poll all along, the checkpoint helper it forks sleeps."""
    last = 0
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("time="):
                last = int(line[5:])
    return last


ALLOC_FNS = ("malloc", "calloc", "realloc", "strdup", "memalign", "posix_memalign",
             "aligned_alloc", "operator new")
# why a block is "possibly lost" (only a pointer into its middle is left), by a
# frame on its allocation stack
POSSIBLY = (("_dl_allocate_tls", "the thread-local storage of a thread never joined "
             "(DPDK's own threads: interrupts, multi-process, telemetry, run until exit)"),
            ("pthread_create", "the stack of a thread never joined (DPDK's own threads)"),
            ("dlopen", "a driver plugin's data, made when EAL loads it"))


def leak_records(log, kind):
    """(bytes, [stack frames]) of every loss record of @p kind ("definitely",
    "possibly") in a memcheck log."""
    with open(log, encoding="utf-8", errors="replace") as f:
        records = f.read().split("\n==")
    for i, line in enumerate(records):
        if "are %s lost in loss record" % kind not in line:
            continue
        nbytes = int(line.split("bytes")[0].split("(")[0].split("==")[-1].strip()
                     .replace(",", ""))
        stack = []
        for frame in records[i + 1:]:
            if " at 0x" not in frame and " by 0x" not in frame:
                break
            stack.append(frame)
        yield nbytes, stack


def possibly_lost(log):
    """{why: (bytes, records)} of the possibly lost blocks; a block no rule
    explains is named by its first frame past the allocator."""
    out = {}
    for nbytes, stack in leak_records(log, "possibly"):
        why = next((w for frame, w in POSSIBLY if any(frame in fr for fr in stack)), None)
        if why is None:
            caller = next((fr for fr in stack if not any(a in fr for a in ALLOC_FNS)), "?")
            why = "unexplained, allocated at %s" % caller.split(": ", 1)[-1].strip()
        b, n = out.get(why, (0, 0))
        out[why] = (b + nbytes, n + 1)
    return out


def own_leaks(log):
    """Bytes definitely lost with a frame of our code on the allocation's
    stack, and the rest (DPDK's plugins allocate in their constructors)."""
    ours = theirs = 0
    for nbytes, stack in leak_records(log, "definitely"):
        if any(" prt_" in fr or "/dpdk-prtip)" in fr for fr in stack):
            ours += nbytes
        else:
            theirs += nbytes
    return ours, theirs
