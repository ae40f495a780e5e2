#!/usr/bin/env python3
"""Inputs for the scaling rows of BENCHMARKS.md (issue #14 item 13).

    many-findings.py lines N OUT   OUT/rules/boom-number.yaml and OUT/app.log with N distinct
                                   findings (each `boom <n>` its own fingerprint), among N
                                   other lines
    many-findings.py files N OUT   OUT/rules/… and OUT/pods/<ns>_<pod>_<uid>/c/0.log: N node-log
                                   files, one finding each
"""
import os
import sys

RULE = """id: boom-number
title: A numbered boom
severity: error
stage: runtime
match:
  - regex: 'boom (?<n>[0-9]+)'
message: "boom number ${n}"
explain: "numbered booms are errors"
examples:
  match: ["boom 1"]
  nomatch: ["boom"]
"""


def main():
    kind, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    os.makedirs(f"{out}/rules", exist_ok=True)
    with open(f"{out}/rules/boom-number.yaml", "w") as f:
        f.write(RULE)
    if kind == "lines":
        with open(f"{out}/app.log", "w") as f:
            for n in range(1, count + 1):
                f.write(f"INFO request {n} served\nline {n}: boom {n}\n")
    else:
        for n in range(count):
            folder = f"{out}/pods/ns{n % 50}_pod-{n}-abcde_uid{n}/c"
            os.makedirs(folder, exist_ok=True)
            with open(f"{folder}/0.log", "w") as f:
                f.write(f"INFO starting\nline {n}: boom {n}\n")


main()
