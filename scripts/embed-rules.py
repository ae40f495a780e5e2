#!/usr/bin/env python3
"""Writes Docs/rules.md, the list of built-in rules, from Rules/.

`make rules` runs this and `logrx rules embed`, which compiles the rules into the binary
(Sources/LogrxRules/BuiltinRules.generated.swift). `make test` (and CI) fails when either
output is stale: this script with `--check`, and a test for the Swift file.
"""
import os, re, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
rules_dir = os.path.join(root, "Rules")

def entries(kind):
    items = []
    for dirpath, _, names in os.walk(rules_dir):
        for name in names:
            if not name.endswith((".yaml", ".yml")):
                continue
            path = os.path.relpath(os.path.join(dirpath, name), rules_dir)
            is_table = path.startswith("data" + os.sep)
            if (kind == "tables") == is_table:
                items.append(path.replace(os.sep, "/"))
    return sorted(items)

def field(text, name):
    match = re.search(r"^%s:\s*(.+)$" % name, text, re.M)
    return match.group(1).strip().strip("'\"") if match else ""

def docs():
    rows = []
    for path in entries("rules"):
        with open(os.path.join(rules_dir, path), encoding="utf-8") as f:
            text = f.read()
        explains = field(text, "explains").strip("[]")
        rows.append("| `%s` | %s | %s | %s | %s | [%s](../Rules/%s) |" % (
            field(text, "id"), field(text, "severity"), field(text, "stage"), field(text, "title"),
            explains.replace(",", ", ").replace("  ", " ") if explains else "", path, path))
    return """# Built-in rules

Generated from `Rules/` by `scripts/embed-rules.py` (`make rules`); do not edit by hand.
`logrx rules show ID` prints a rule's signatures, explanation and fix. The rule format is in
[rule-format.md](rule-format.md).

%d rules.

| id | severity | stage | title | explains | file |
|---|---|---|---|---|---|
%s
""" % (len(rows), "\n".join(rows))

docs_out = os.path.join(root, "Docs", "rules.md")
outputs = {docs_out: docs()}
if "--check" in sys.argv:
    stale = [os.path.relpath(path, root) for path, text in outputs.items()
             if not os.path.exists(path) or open(path, encoding="utf-8").read() != text]
    if stale:
        sys.exit("stale: %s; run `make rules`" % ", ".join(stale))
    sys.exit(0)
for path, text in outputs.items():
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
