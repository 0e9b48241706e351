#!/usr/bin/env python3
"""Module cycles inside each crate of the workspace (issue 14: "no module cycle").

A module is one source file (`lib.rs`/`main.rs` is the crate root, `x/mod.rs` is `x`, `x/y.rs`
is `x::y`). Module A depends on module B when A's code (comments and strings removed) names a
path that resolves to B: `crate::...`, `super::...`, `self::...`, or a path starting with one of
A's child modules. A path resolves to the deepest module it names; when the next segment is an
item that module re-exports (`pub use m::Item`, `pub use m::*`), to the module the item comes
from, so a facade's re-exports do not count as the facade's own items. Declaring a child
(`mod x;`) is not a dependency. Inline modules (`mod tests { ... }`) belong to their file.

Prints every strongly connected component of more than one module and exits 1 if there is one.
  python3 scripts/module_cycles.py [CRATE_SRC_DIR ...]   (default: every crates/*/src)
"""

import re
import sys
from pathlib import Path

IDENT = r"[A-Za-z_][A-Za-z0-9_]*"


def strip(text):
    """Source without comments, string and char literals (kept as empty literals)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if text.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
        elif c == "r" and re.match(r'r#*"', text[i:]) and (i == 0 or not re.match(r"\w", text[i - 1])):
            m = re.match(r'r(#*)"', text[i:])
            end = text.find('"' + m.group(1), i + len(m.group(0)))
            out.append('""')
            i = n if end < 0 else end + 1 + len(m.group(1))
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append('""')
            i = j + 1
        elif c == "'" and re.match(r"'(\\.|[^\\'])'", text[i:]):
            m = re.match(r"'(\\[^']*|[^\\'])'", text[i:])
            out.append("' '")
            i += len(m.group(0)) if m else 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def modules_of(src):
    """{module path tuple: file} of one crate's src dir (src/bin is other crates)."""
    mods = {}
    for f in sorted(src.rglob("*.rs")):
        rel = f.relative_to(src).with_suffix("").parts
        if rel[0] == "bin":
            continue
        if rel in (("lib",), ("main",)):
            key = ()
        elif rel[-1] == "mod":
            key = rel[:-1]
        else:
            key = rel
        if key == () or (src / Path(*key[:-1])).exists() or len(key) == 1:
            mods[key] = f
    # keep only modules reachable through `mod` declarations of existing parents
    return {k: v for k, v in mods.items() if k == () or k[:-1] in mods}


USE_RE = re.compile(r"\bpub(?:\([^)]*\))?\s+use\s+([^;]+);")


def expand_use(tree):
    """Paths of a use tree: 'a::{b, c::d as e}' -> [['a','b'], ['a','c','d@e']] (alias after @)."""
    tree = re.sub(r"\s+", "", re.sub(r"\s+as\s+", "@", tree))

    def split_top(s):
        parts, depth, cur = [], 0, ""
        for ch in s:
            depth += {"{": 1, "}": -1}.get(ch, 0)
            if ch == "," and depth == 0:
                parts.append(cur)
                cur = ""
            else:
                cur += ch
        return parts + [cur] if cur else parts

    def go(s):
        if "{" not in s:
            return [s.split("::")]
        head, rest = s.split("{", 1)
        inner = rest.rsplit("}", 1)[0]
        head = [p for p in head.split("::") if p]
        return [head + p for part in split_top(inner) for p in go(part)]

    return [[seg for seg in p if seg] for p in go(tree)]


class Crate:
    def __init__(self, src):
        self.src = src
        self.mods = modules_of(src)
        self.code = {k: strip(f.read_text()) for k, f in self.mods.items()}
        self.items = {k: set(re.findall(rf"\bpub(?:\([^)]*\))?\s+(?:struct|enum|fn|const|static|type|trait|union|mod)\s+({IDENT})", c)) for k, c in self.code.items()}
        # re-exports: {module: {name: [path segments relative to that module]}}, globs separately
        self.reexports, self.globs = {}, {}
        for k, c in self.code.items():
            names, globs = {}, []
            for m in USE_RE.finditer(c):
                for p in expand_use(m.group(1)):
                    if p[-1] == "*":
                        globs.append(p[:-1])
                    elif p and p[-1] != "self":
                        orig, _, alias = p[-1].partition("@")
                        names[alias or orig] = p[:-1] + [orig]
            self.reexports[k], self.globs[k] = names, globs

    def start(self, here, first):
        """The module a path's first segment designates, or None (an external crate, an item)."""
        if first == "crate":
            return ()
        if first == "self":
            return here
        if first == "super":
            return here[:-1]
        if here + (first,) in self.mods:
            return here + (first,)
        return None

    def resolve(self, here, segs, depth=0):
        base = self.start(here, segs[0])
        if base is None:
            return None
        cur, rest = base, segs[1:]
        while rest and rest[0] == "super":
            cur, rest = cur[:-1], rest[1:]
        while rest and cur + (rest[0],) in self.mods:
            cur, rest = cur + (rest[0],), rest[1:]
        if rest and depth < 8:
            name = rest[0]
            if name not in self.items.get(cur, set()):
                target = self.reexports.get(cur, {}).get(name)
                if target:
                    r = self.resolve(cur, target, depth + 1) if target and self.start(cur, target[0]) is not None else None
                    if r is not None:
                        return r
                for g in self.globs.get(cur, []):
                    gm = self.resolve(cur, g + ["_"], depth + 1) if g and self.start(cur, g[0]) is not None else None
                    if gm is not None and name in self.items.get(gm, set()) | set(self.reexports.get(gm, {})):
                        return self.resolve(cur, g + [name], depth + 1)
        return cur

    def edges(self):
        out = {k: set() for k in self.mods}
        for k, c in self.code.items():
            # bodies of inline modules: `super` there is this file's module; approximate by
            # treating `super::` inside `mod name {` blocks as `self::`
            inline = [(m.end(), m.group(1)) for m in re.finditer(rf"\bmod\s+({IDENT})\s*\{{", c)]
            spans = []
            for start, _ in inline:
                depth, j = 1, start
                while j < len(c) and depth:
                    depth += {"{": 1, "}": -1}.get(c[j], 0)
                    j += 1
                spans.append((start, j))
            for m in re.finditer(rf"(?<![\w:])((?:{IDENT}\s*::\s*)+{IDENT}|(?:{IDENT}\s*::\s*)+\{{[^;]*?\}})", c):
                path = re.sub(r"\s+", "", m.group(1))
                if m.start() > 0 and c[m.start() - 1] == "$":
                    continue
                in_inline = any(a <= m.start() < b for a, b in spans)
                for p in expand_use(path) if "{" in path else [path.split("::")]:
                    p = [s.partition("@")[0] for s in p if s]
                    if not p:
                        continue
                    if in_inline and p[0] == "super":
                        p = ["self"] + p[1:]
                    t = self.resolve(k, p)
                    if t is not None and t != k and t in self.mods:
                        out[k].add(t)
            # a declared child is not a dependency of its parent; only its use is, and that
            # use was counted above
        return out


def sccs(graph):
    index, low, stack, on, res, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            res.append(comp)

    sys.setrecursionlimit(10000)
    for v in graph:
        if v not in index:
            visit(v)
    return res


def name(crate, k):
    return "::".join(("crate",) + k)


def main():
    root = Path(__file__).resolve().parent.parent
    dirs = [Path(a) for a in sys.argv[1:]] or sorted(root.glob("crates/*/src"))
    bad = False
    for src in dirs:
        crate = Crate(src)
        graph = crate.edges()
        cycles = [sorted(c) for c in sccs(graph) if len(c) > 1]
        label = src.parent.name
        if not cycles:
            print(f"{label}: {len(graph)} modules, no cycle")
        for c in cycles:
            bad = True
            members = set(c)
            print(f"{label}: cycle among {', '.join(name(crate, k) for k in c)}")
            for k in c:
                for t in sorted(graph[k] & members):
                    print(f"    {name(crate, k)} -> {name(crate, t)}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
