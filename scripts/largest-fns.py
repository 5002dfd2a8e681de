#!/usr/bin/env python3
"""Prints the N largest Rust functions under src/ (lines from `fn` to its closing brace).

Usage: scripts/largest-fns.py [N] [DIR]. Brace matching skips strings, chars and comments well
enough for this code base; it is a measuring stick, not a parser.
"""
import os
import re
import sys

N = int(sys.argv[1]) if len(sys.argv) > 1 else 5
ROOT = sys.argv[2] if len(sys.argv) > 2 else "src"
FN = re.compile(r"^\s*(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?fn\s+(\w+)")


def strip(line, state):
    """Removes string/char literals and comments from one line; `state` tracks block comments
    and open raw/plain strings across lines."""
    out = []
    i = 0
    while i < len(line):
        if state["block"]:
            j = line.find("*/", i)
            if j < 0:
                return "".join(out)
            state["block"] = False
            i = j + 2
            continue
        if state["str"]:
            end = state["str"]
            if end == '"':
                while i < len(line):
                    if line[i] == "\\":
                        i += 2
                        continue
                    if line[i] == '"':
                        state["str"] = None
                        i += 1
                        break
                    i += 1
            else:
                j = line.find(end, i)
                if j < 0:
                    return "".join(out)
                state["str"] = None
                i = j + len(end)
            continue
        c = line[i]
        if line.startswith("//", i):
            break
        if line.startswith("/*", i):
            state["block"] = True
            i += 2
            continue
        m = re.match(r'b?r(#*)"', line[i:])
        if m and (i == 0 or not (line[i - 1].isalnum() or line[i - 1] == "_")):
            state["str"] = '"' + m.group(1)
            i += len(m.group(0))
            continue
        if c == '"':
            state["str"] = '"'
            i += 1
            continue
        if c == "'":
            m = re.match(r"'(\\.|\\u\{[0-9a-fA-F]+\}|[^\\'])'", line[i:])
            if m:
                i += len(m.group(0))
                continue
        out.append(c)
        i += 1
    return "".join(out)


def functions(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    state = {"block": False, "str": None}
    stack = []  # (name, start_line, depth_at_open)
    depth = 0
    pending = None
    found = []
    for n, raw in enumerate(lines, 1):
        code = strip(raw, state)
        m = FN.match(code)
        if m and pending is None:
            pending = (m.group(6), n)
        for ch in code:
            if ch == "{":
                depth += 1
                if pending:
                    stack.append((pending[0], pending[1], depth))
                    pending = None
            elif ch == "}":
                if stack and stack[-1][2] == depth:
                    name, start, _ = stack.pop()
                    found.append((n - start + 1, name, path, start))
                depth -= 1
            elif ch == ";" and pending and depth >= 0:
                pending = None  # a declaration without a body
    return found


every = []
for dirpath, _, files in os.walk(ROOT):
    for name in files:
        if name.endswith(".rs"):
            every.extend(functions(os.path.join(dirpath, name)))
every.sort(key=lambda f: (-f[0], f[2], f[3]))
for lines, name, path, start in every[:N]:
    print(f"{lines:5}  {name}  {path}:{start}")
