#!/usr/bin/env python3
"""Regenerates the outputs shown in README.md: every `$ corridor ...` line inside a ```text block is
run with the release binary and the lines after it, up to the block's end, are replaced by its output.

    python3 scripts/readme_outputs.py [--check] [path/to/corridor]

--check exits 1 (and prints a diff) if the README's outputs are not the binary's current ones.
The binary must see a prepared cache (`corridor prepare`) for speed; answers are the same without.
"""
import difflib
import shlex
import subprocess
import sys

args = [a for a in sys.argv[1:] if a != "--check"]
check = "--check" in sys.argv[1:]
binary = args[0] if args else "target/release/corridor"
readme = open("README.md", encoding="utf-8").read().split("\n")

out, i, in_text = [], 0, False
while i < len(readme):
    line = readme[i]
    out.append(line)
    if line.startswith("```text"):
        in_text = True
    elif line.startswith("```"):
        in_text = False
    elif in_text and line.startswith("$ corridor "):
        argv = shlex.split(line[len("$ corridor ") :])
        res = subprocess.run([binary, *argv], capture_output=True, text=True)
        if res.returncode != 0:
            sys.exit(f"`{line}` failed ({res.returncode}): {res.stderr}")
        out.extend(res.stdout.rstrip("\n").split("\n"))
        # skip the old output: up to the next command or the end of the block
        i += 1
        while i < len(readme) and not readme[i].startswith("```") and not readme[i].startswith("$ corridor "):
            i += 1
        continue
    i += 1

new = "\n".join(out)
old = "\n".join(readme)
if check:
    if new != old:
        sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), new.splitlines(True), "README.md", "current"))
        sys.exit(1)
else:
    open("README.md", "w", encoding="utf-8").write(new)
