"""Reads what BuildKit reports: `--progress=plain` build logs and the engine's cache-mount records.

usage:
  buildlog.py steps LOG REGEX      one line per build step whose instruction matches REGEX:
                                   "CACHED <instruction>" or "RAN <instruction>"; exit 1 if none match
  buildlog.py seconds LOG REGEX    the seconds the RUN steps matching REGEX took (sum; 0 if CACHED)
  buildlog.py crates LOG           the registry crates cargo compiled in LOG (path crates excluded)
  buildlog.py mounts               reads `docker system df -v --format '{{json .BuildCache}}'` on
                                   stdin, prints one "ID USAGE SIZE TARGET" line per cache mount
  buildlog.py reused BEFORE AFTER DOCKERFILE
                                   the cache mounts of DOCKERFILE (from two `mounts` outputs) that
                                   existed before and were used again: "TARGET SIZE" lines; exit 1
                                   if none
  buildlog.py ids MOUNTS DOCKERFILE
                                   the ids (from a `mounts` output) of DOCKERFILE's cache mounts
  buildlog.py healthy              reads `docker inspect CONTAINER` on stdin, prints the seconds from
                                   the container's start to the end of its first passing health probe
"""

import json
import re
import sys

STEP = re.compile(r"^#(\d+) \[([^\]]+)\] (.*)$")


def steps(log, pattern):
    regex = re.compile(pattern)
    headers, cached = {}, set()
    for line in open(log, encoding="utf-8", errors="replace"):
        line = line.rstrip("\n")
        m = STEP.match(line)
        if m:
            # "RUN --mount=... --mount=... cmd" reads better as "cmd".
            instr = re.sub(r"--mount=\S+\s*", "", m.group(3))
            instr = re.sub(r"^RUN\s+", "", re.sub(r"\s+", " ", instr)).strip()
            headers.setdefault(m.group(1), f"[{m.group(2)}] {instr}")
            continue
        m = re.search(r"#(\d+) CACHED$", line)
        if m:
            cached.add(m.group(1))
    found = [(n, h) for n, h in headers.items() if regex.search(h)]
    for n, h in found:
        print(("CACHED " if n in cached else "RAN ") + h)
    return 0 if found else 1


def seconds(log, pattern):
    regex = re.compile(pattern)
    headers, done = {}, {}
    for line in open(log, encoding="utf-8", errors="replace"):
        line = line.rstrip("\n")
        m = STEP.match(line)
        if m:
            headers.setdefault(m.group(1), m.group(3))
            continue
        m = re.search(r"#(\d+) DONE ([\d.]+)s$", line)
        if m:
            done[m.group(1)] = float(m.group(2))
    total = sum(done.get(n, 0.0) for n, h in headers.items() if h.startswith("RUN") and regex.search(h))
    print(f"{total:.1f}")
    return 0


def crates(log):
    # cargo prints "Compiling name vX.Y.Z" for registry crates and appends "(/path)" for local ones.
    regex = re.compile(r"^#\d+ [\d.]+\s+Compiling (\S+) v(\S+)\s*$")
    for line in open(log, encoding="utf-8", errors="replace"):
        m = regex.match(line.rstrip("\n"))
        if m:
            print(f"{m.group(1)} {m.group(2)}")
    return 0


def mounts():
    data = sys.stdin.read().strip()
    records = json.loads(data) if data else []
    for r in records or []:
        if r.get("CacheType") != "exec.cachemount":
            continue
        m = re.match(r"cached mount (\S+)", r.get("Description", ""))
        target = m.group(1) if m else "?"
        print(r["ID"], r.get("UsageCount", "0"), r.get("Size", "?"), target)
    return 0


def read_mounts(path):
    out = {}
    for line in open(path, encoding="utf-8"):
        parts = line.split()
        if len(parts) == 4:
            out[parts[0]] = (int(parts[1]), parts[2], parts[3])
    return out


def cache_targets(dockerfile):
    """Targets of the `RUN --mount=type=cache,...` mounts a Dockerfile declares."""
    targets = set()
    text = open(dockerfile, encoding="utf-8").read()
    for spec in re.findall(r"--mount=(\S+)", text):
        opts = dict(o.partition("=")[::2] for o in spec.split(","))
        if opts.get("type") == "cache":
            target = opts.get("target") or opts.get("dst") or opts.get("destination")
            if target:
                targets.add(target.rstrip("/") or "/")
    return targets


def reused(before, after, dockerfile):
    old, new = read_mounts(before), read_mounts(after)
    mine = cache_targets(dockerfile)
    hits = [
        (t, size)
        for i, (n, size, t) in new.items()
        if i in old and n > old[i][0] and t.rstrip("/") in mine
    ]
    for target, size in sorted(hits):
        print(target, size)
    return 0 if hits else 1


def timestamp(text):
    # Docker writes RFC 3339 with nanoseconds; Python parses at most microseconds.
    from datetime import datetime

    m = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$", text)
    frac = (m.group(2) or ".0")[:7]
    zone = "+00:00" if m.group(3) == "Z" else m.group(3)
    return datetime.fromisoformat(m.group(1) + frac + zone)


def healthy():
    state = json.load(sys.stdin)[0]["State"]
    started = timestamp(state["StartedAt"])
    for probe in (state.get("Health") or {}).get("Log") or []:
        if probe.get("ExitCode") == 0:
            print(f"{(timestamp(probe['End']) - started).total_seconds():.0f}")
            return 0
    return 1


def ids(mounts_file, dockerfile):
    mine = cache_targets(dockerfile)
    for i, (_, _, t) in read_mounts(mounts_file).items():
        if t.rstrip("/") in mine:
            print(i)
    return 0


def main(argv):
    cmd = argv[1] if len(argv) > 1 else ""
    if cmd == "steps" and len(argv) == 4:
        return steps(argv[2], argv[3])
    if cmd == "seconds" and len(argv) == 4:
        return seconds(argv[2], argv[3])
    if cmd == "crates" and len(argv) == 3:
        return crates(argv[2])
    if cmd == "mounts" and len(argv) == 2:
        return mounts()
    if cmd == "reused" and len(argv) == 5:
        return reused(argv[2], argv[3], argv[4])
    if cmd == "ids" and len(argv) == 4:
        return ids(argv[2], argv[3])
    if cmd == "healthy" and len(argv) == 2:
        return healthy()
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
