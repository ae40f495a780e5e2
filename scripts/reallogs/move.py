#!/usr/bin/env python3
"""Move corpus entries between tune/ and test/ (to even out causes): move.py tune/x-01.log ..."""
import os, re, subprocess, sys
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Corpus", "reallogs"))
for name in sys.argv[1:]:
    src, base = name.split("/", 1)
    dst = "test" if src == "tune" else "tune"
    sm, dm = (os.path.join(ROOT, p, "manifest.yaml") for p in (src, dst))
    s = open(sm).read()
    i = s.index(f"- file: {name}\n")
    j = s.find("\n- file: ", i + 1)
    j = len(s) if j < 0 else j + 1
    entry = s[i:j].replace(f"- file: {name}\n", f"- file: {dst}/{base}\n")
    if not entry.endswith("\n\n"):
        entry = entry.rstrip("\n") + "\n\n"
    open(sm, "w").write(s[:i] + s[j:])
    with open(dm, "a") as f:
        f.write(entry)
    subprocess.run(["git", "mv", os.path.join(ROOT, name), os.path.join(ROOT, dst, base)], check=True)
    print(name, "->", f"{dst}/{base}")
