#!/usr/bin/env python3
"""Score a logrx binary on a Corpus/reallogs manifest.

usage: score.py MANIFEST [MANIFEST ...] [--logrx PATH]   (default PATH: /tmp/old/.build/debug/logrx)

For each entry runs `logrx explain --format jsonl FILE` (FILE relative to the folder above the
manifest's part, i.e. Corpus/reallogs/) and reports, per manifest:
  failures:  top == cause   the first root-cause finding's rule id equals `cause`
             cause found    `cause` is among the findings, but not on top
             symptom only   top is one of the entry's `also` ids (and cause not found)
             wrong          there are warning/error findings, none of the above
             silent         no finding at warning or error level
  (and the top == cause rate among failures whose cause is an existing rule id)
  negatives (healthy + near-miss):
             false alarm    any error-level finding
             warned         no error, but a warning-level finding
Then every miss (failure not `top == cause`, negative with a false alarm), with the file.
"""
import json, os, subprocess, sys

def parse_manifest(path):
    try:
        import yaml  # type: ignore
        with open(path) as f:
            return yaml.safe_load(f) or []
    except ImportError:
        pass
    entries, cur = [], None
    for raw in open(path):
        line = raw.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith("- "):
            cur = {}
            entries.append(cur)
            line = "  " + line[2:]
        key, _, val = line.strip().partition(":")
        val = val.strip()
        if val.startswith("["):
            val = [v.strip() for v in val.strip("[]").split(",") if v.strip()]
        elif val.startswith('"'):
            val = json.loads(val)
        cur[key] = val
    return entries

def run(logrx, path):
    out = subprocess.run([logrx, "explain", "--format", "jsonl", "--color", "never", path],
                         capture_output=True, text=True)
    findings = []
    for line in out.stdout.splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        d = json.loads(line)
        if d.get("type") == "finding":
            findings.append(d)
    return findings

def known_ids(logrx):
    out = subprocess.run([logrx, "rules", "list"], capture_output=True, text=True).stdout
    return {l.split()[0] for l in out.splitlines() if l.strip()}

def score(manifest, logrx, known):
    root = os.path.dirname(os.path.dirname(os.path.abspath(manifest)))
    rows = {"failure": {}, "negative": {}}
    misses = []
    for e in parse_manifest(manifest):
        f = os.path.join(root, e["file"])
        fs = run(logrx, f)
        loud = [x for x in fs if x.get("severity") in ("warning", "error")]
        errors = [x for x in fs if x.get("severity") == "error"]
        roots = [x for x in loud if x.get("root_cause")]
        top = (roots or loud or [None])[0]
        top_id = top["rule"] if top else None
        ids = [x["rule"] for x in fs]
        if e["kind"] == "failure":
            cause, also = e.get("cause"), e.get("also") or []
            if top_id == cause:
                k = "top == cause"
            elif cause in ids:
                k = "cause found"
            elif not loud:
                k = "silent"
            elif top_id in also:
                k = "symptom only"
            else:
                k = "wrong"
            rows["failure"][k] = rows["failure"].get(k, 0) + 1
            rows["failure"]["n"] = rows["failure"].get("n", 0) + 1
            if cause in known:
                rows["failure"]["existing n"] = rows["failure"].get("existing n", 0) + 1
                if k == "top == cause":
                    rows["failure"]["existing hit"] = rows["failure"].get("existing hit", 0) + 1
            if k != "top == cause":
                misses.append((e["file"], f"{k}: cause {cause}, top {top_id}, all {sorted(set(ids))}"))
        else:
            k = "false alarm" if errors else ("warned" if loud else "quiet")
            rows["negative"][k] = rows["negative"].get(k, 0) + 1
            rows["negative"]["n"] = rows["negative"].get("n", 0) + 1
            if k == "false alarm":
                misses.append((e["file"], f"false alarm ({e['kind']}): {sorted(set(x['rule'] for x in errors))}"))
    return rows, misses

def pct(a, n):
    return f"{a:3d}/{n:<3d} {100.0 * a / n:5.1f}%" if n else "  -"

def main():
    args, logrx = [], "/tmp/old/.build/debug/logrx"
    it = iter(sys.argv[1:])
    for a in it:
        if a == "--logrx":
            logrx = next(it)
        else:
            args.append(a)
    if not args:
        sys.exit(__doc__)
    known = known_ids(logrx)
    for m in args:
        rows, misses = score(m, logrx, known)
        fr, ng = rows["failure"], rows["negative"]
        n, nn = fr.get("n", 0), ng.get("n", 0)
        print(f"== {m}  ({n} failures, {nn} negatives)")
        print("| measure | count | rate |")
        print("| --- | --- | --- |")
        for k in ("top == cause", "cause found", "symptom only", "wrong", "silent"):
            c = fr.get(k, 0)
            print(f"| failures: {k} | {c}/{n} | {100.0 * c / n if n else 0:.1f}% |")
        en, eh = fr.get("existing n", 0), fr.get("existing hit", 0)
        print(f"| failures whose cause is an existing rule id: top == cause | {eh}/{en} | {100.0 * eh / en if en else 0:.1f}% |")
        for k in ("false alarm", "warned", "quiet"):
            c = ng.get(k, 0)
            print(f"| negatives: {k} | {c}/{nn} | {100.0 * c / nn if nn else 0:.1f}% |")
        print()
        print("misses:")
        for f, why in misses:
            print(f"  {f}: {why}")
        print()

main()
