"""Lists the external images Dockerfiles refer to, one per line, sorted and de-duplicated.

Reads FROM lines, COPY --from=... and RUN --mount=...,from=... sources, resolving ${X}/$X against the
ARG defaults declared before the first FROM (and inside the stage, for --from and --mount). Stage names
and `scratch` are not images. An unresolvable reference is printed as-is so the caller can reject it.

usage: python3 images.py DOCKERFILE...
"""

import re
import sys


def logical_lines(text):
    """Joins backslash continuations and drops comments and blank lines."""
    out, cur = [], ""
    for raw in text.splitlines():
        line = raw.rstrip()
        if not cur and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if cur and line.lstrip().startswith("#"):
            continue
        if line.endswith("\\"):
            cur += line[:-1] + " "
            continue
        out.append(cur + line)
        cur = ""
    if cur:
        out.append(cur)
    return out


def expand(value, args):
    def sub(m):
        name = m.group(1) or m.group(2)
        return args.get(name, m.group(0))

    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)", sub, value)


def images(path):
    global_args, stage_args, stages, found = {}, {}, set(), []
    in_stage = False
    for line in logical_lines(open(path, encoding="utf-8").read()):
        words = line.split()
        instr, rest = words[0].upper(), words[1:]
        if instr == "ARG" and rest:
            name, _, default = rest[0].partition("=")
            default = default.strip('"')
            if not in_stage:
                global_args[name] = default
            else:
                stage_args[name] = default if default else global_args.get(name, "")
        elif instr == "FROM":
            in_stage, stage_args = True, {}
            refs = [w for w in rest if not w.startswith("--")]
            image = expand(refs[0], global_args)
            if image.lower() != "scratch" and image not in stages:
                found.append(image)
            if len(refs) >= 3 and refs[1].upper() == "AS":
                stages.add(refs[2])
        elif instr in ("COPY", "RUN"):
            scope = {**global_args, **stage_args}
            for w in rest:
                if instr == "COPY" and w.startswith("--from="):
                    ref = expand(w[len("--from="):], scope)
                elif instr == "RUN" and w.startswith("--mount="):
                    opts = dict(o.partition("=")[::2] for o in w[len("--mount="):].split(","))
                    ref = expand(opts.get("from", ""), scope)
                else:
                    continue
                if ref and ref not in stages and not ref.isdigit():
                    found.append(ref)
    return found


def main():
    refs = set()
    for path in sys.argv[1:]:
        refs.update(images(path))
    for r in sorted(refs):
        print(r)


if __name__ == "__main__":
    main()
