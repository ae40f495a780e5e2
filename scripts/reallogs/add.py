#!/usr/bin/env python3
"""Add one excerpt to Corpus/reallogs: picks tune/ or test/ (per topic, alternating; a topic's
first entry goes to the smaller part), numbers the file, appends the manifest entry.

usage: add.py TOPIC KIND CAUSE SOURCE NOTE [--also a,b] [--ext log] < excerpt
       (CAUSE '-' for healthy/near-miss). The excerpt bytes are written as given."""
import sys, os, re, json, argparse

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Corpus", "reallogs")
ROOT = os.path.normpath(ROOT)

def entries(part):
    p = os.path.join(ROOT, part, "manifest.yaml")
    if not os.path.exists(p):
        return []
    return re.findall(r"^- file: (\S+)", open(p).read(), re.M)

def q(s):
    return json.dumps(s, ensure_ascii=False)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("topic"); ap.add_argument("kind"); ap.add_argument("cause")
    ap.add_argument("source"); ap.add_argument("note")
    ap.add_argument("--also", default=""); ap.add_argument("--ext", default="log")
    ap.add_argument("--input", default="-")
    a = ap.parse_args()
    assert a.kind in ("failure", "healthy", "near-miss"), a.kind
    data = sys.stdin.buffer.read() if a.input == "-" else open(a.input, "rb").read()
    assert data.strip(), "empty excerpt"
    assert len(data) <= (128 if a.ext == "html" else 64) * 1024, "too big"
    tune, test = entries("tune"), entries("test")
    pat = re.compile(r"^(tune|test)/" + re.escape(a.topic) + r"-(\d+)\.")
    mine = [(m.group(1), int(m.group(2))) for f in tune + test for m in [pat.match(f)] if m]
    n = max([x[1] for x in mine], default=0) + 1
    if not mine:
        part = "tune" if len(tune) <= len(test) else "test"
    else:
        last = max(mine, key=lambda x: x[1])[0]
        part = "test" if last == "tune" else "tune"
    name = f"{part}/{a.topic}-{n:02d}.{a.ext}"
    with open(os.path.join(ROOT, name), "wb") as f:
        f.write(data)
    lines = [f"- file: {name}", f"  source: {q(a.source)}", f"  kind: {a.kind}"]
    if a.kind == "failure":
        lines.append(f"  cause: {a.cause}")
    if a.also:
        lines.append("  also: [" + ", ".join(x.strip() for x in a.also.split(",") if x.strip()) + "]")
    lines.append(f"  note: {q(a.note)}")
    man = os.path.join(ROOT, part, "manifest.yaml")
    new = not os.path.exists(man)
    with open(man, "a") as f:
        if new:
            f.write(f"# Corpus/reallogs/{part}: see ../README.md. Paths are relative to Corpus/reallogs/.\n\n")
        f.write("\n".join(lines) + "\n\n")
    print(name, len(data))

main()
