#!/usr/bin/env python3
"""The dependency graph between the folders of a Swift source tree, and its cycles.

Usage: scripts/folder-graph.py [ROOT ...]   (default: Sources/AuroraBridge)

A folder is the first path component below a root (the files directly in a root make the
folder `(root)`). Folder A depends on folder B when a file of A names something B
declares:
- a type (struct, class, enum, actor, protocol, typealias, nested ones too) or a top-level
  function, named anywhere in A's code;
- a member declared in an `extension` in B, when no other folder declares that name, used as
  `.name` in A (this is how `configuration.oneShotClient()` makes its caller depend on the
  folder that extends BridgeConfiguration).
Comments and the text of string literals are left out (interpolations count). The check is by
name, not by the compiler: a name declared in two folders counts for both.

Prints each folder's dependencies with the names that make them, then either the folders in
an order where each depends only on those above it, or the cycles (strongly connected
components with more than one folder, and every mutual pair). Exits 1 when there is a cycle.
"""

import os
import re
import sys
from collections import defaultdict

DEFAULT_ROOTS = ["Sources/AuroraBridge"]

MODIFIERS = r"(?:(?:public|package|internal|fileprivate|private|static|mutating|nonisolated|final|indirect|@[A-Za-z]+)\s+)*"
TOP_LEVEL = re.compile(r"^" + MODIFIERS + r"(?:struct|class|enum|actor|protocol|typealias|func)\s+([A-Za-z_][A-Za-z0-9_]*)", re.M)
EXTENSION = re.compile(r"^" + MODIFIERS + r"extension\s+([A-Za-z_][A-Za-z0-9_]*)", re.M)
MEMBER_DECL = re.compile(r"^\s*" + MODIFIERS + r"(?:func|var|let|case)\s+([A-Za-z_][A-Za-z0-9_]*)", re.M)
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
MEMBER_USE = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)")


def strip(source):
    """The code of `source` without comments and without the text of string literals
    (interpolations stay)."""
    out = []
    i, n = 0, len(source)
    # Stack of contexts: "code" (with its paren depth, for interpolations) or a string
    # delimiter ('"' or '"""').
    stack = [["code", 0]]
    while i < n:
        top = stack[-1]
        c = source[i]
        if top[0] == "code":
            if source.startswith("//", i):
                j = source.find("\n", i)
                i = n if j < 0 else j
            elif source.startswith("/*", i):
                depth, i = 1, i + 2
                while i < n and depth:
                    if source.startswith("/*", i):
                        depth, i = depth + 1, i + 2
                    elif source.startswith("*/", i):
                        depth, i = depth - 1, i + 2
                    else:
                        i += 1
                out.append(" ")
            elif source.startswith('"""', i):
                stack.append(['"""'])
                out.append('"')
                i += 3
            elif c == '"':
                stack.append(['"'])
                out.append('"')
                i += 1
            elif c == "(" and len(stack) > 1:
                top[1] += 1
                out.append(c)
                i += 1
            elif c == ")" and len(stack) > 1:
                if top[1] == 0:
                    stack.pop()  # the end of an interpolation: back in the string
                else:
                    top[1] -= 1
                out.append(c)
                i += 1
            else:
                out.append(c)
                i += 1
        else:
            delimiter = top[0]
            if c == "\\" and source.startswith("\\(", i):
                stack.append(["code", 0])
                out.append(" (")
                i += 2
            elif c == "\\":
                i += 2
            elif source.startswith(delimiter, i):
                stack.pop()
                out.append('"')
                i += len(delimiter)
            else:
                if c == "\n":
                    out.append(c)
                i += 1
    return "".join(out)


def folders(roots):
    """Every Swift file's folder and stripped code."""
    files = {}
    for root in roots:
        if not os.path.isdir(root):
            continue
        for directory, _, names in os.walk(root):
            for file in sorted(names):
                if not file.endswith(".swift"):
                    continue
                path = os.path.join(directory, file)
                relative = os.path.relpath(path, root)
                folder = relative.split(os.sep)[0] if os.sep in relative else "(root)"
                with open(path, encoding="utf-8") as handle:
                    files[path] = (folder, strip(handle.read()))
    return files


def graph(files):
    types = defaultdict(set)    # name -> folders declaring it as a top-level type or function
    declared = defaultdict(int)  # member name -> how many declarations in the whole tree
    extended = {}               # member name -> the folder declaring it in an extension
    for folder, code in files.values():
        for name in TOP_LEVEL.findall(code):
            types[name].add(folder)
        for name in MEMBER_DECL.findall(code):
            declared[name] += 1
    for folder, code in files.values():
        for match in EXTENSION.finditer(code):
            if match.group(1) not in types:
                continue  # an extension of another module's type: its members' names are that module's too
            for name in MEMBER_DECL.findall(outermost(extension_body(code, match.end()))):
                extended[name] = folder
    # A member name declared more than once (or also a type's name) says nothing about where it comes from.
    members = {name: folder for name, folder in extended.items() if declared[name] == 1 and name not in types}
    edges = defaultdict(lambda: defaultdict(set))
    for folder, code in files.values():
        for name in set(IDENTIFIER.findall(code)):
            for owner in types.get(name, ()):
                if owner != folder:
                    edges[folder][owner].add(name)
        for name in set(MEMBER_USE.findall(code)):
            owner = members.get(name)
            if owner and owner != folder:
                edges[folder][owner].add("." + name)
    return edges


def extension_body(code, start):
    """The text of the braces that open after `start`."""
    i = code.find("{", start)
    if i < 0:
        return ""
    depth, j = 0, i
    while j < len(code):
        if code[j] == "{":
            depth += 1
        elif code[j] == "}":
            depth -= 1
            if depth == 0:
                return code[i + 1:j]
        j += 1
    return code[i + 1:]


def outermost(body):
    """The lines of `body` outside any nested braces."""
    lines, depth = [], 0
    for line in body.split("\n"):
        if depth == 0:
            lines.append(line)
        depth += line.count("{") - line.count("}")
    return "\n".join(lines)


def components(nodes, edges):
    """Tarjan's strongly connected components."""
    index, low, on, stack, result, counter = {}, {}, set(), [], [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            result.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return result


def layers(nodes, edges):
    """Each folder's level: 0 for none below it, else one more than its highest dependency."""
    level = {}

    def of(v, seen=()):
        if v not in level:
            below = [of(w, seen + (v,)) for w in edges.get(v, {}) if w not in seen]
            level[v] = 1 + max(below) if below else 0
        return level[v]

    for v in nodes:
        of(v)
    return level


def main():
    roots = sys.argv[1:] or DEFAULT_ROOTS
    files = folders(roots)
    nodes = sorted({folder for folder, _ in files.values()})
    edges = graph(files)
    print("folder dependencies (A -> B: A names what B declares)")
    for folder in nodes:
        targets = edges.get(folder, {})
        if not targets:
            print(f"  {folder} -> (nothing)")
        for target in sorted(targets):
            names = sorted(targets[target])
            shown = ", ".join(names[:6]) + (f", … ({len(names)} names)" if len(names) > 6 else "")
            print(f"  {folder} -> {target}: {shown}")
    mutual = sorted({tuple(sorted((a, b))) for a in edges for b in edges[a] if a in edges.get(b, {})})
    cycles = [c for c in components(nodes, edges) if len(c) > 1]
    if cycles or mutual:
        for a, b in mutual:
            print(f"mutual: {a} <-> {b}")
        for cycle in cycles:
            print("cycle: " + " <-> ".join(cycle))
        return 1
    level = layers(nodes, edges)
    print("no cycles; from the bottom up (each folder uses only folders on lines above it):")
    for depth in range(max(level.values(), default=-1) + 1):
        print(f"  {depth}: " + ", ".join(sorted(v for v in nodes if level[v] == depth)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
