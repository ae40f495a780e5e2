#!/usr/bin/env python3
"""Writes a rule pack of N rules for `make bench`: the real rules of Rules/ plus variants.

    gen-rules.py N OUT_DIR

Variant k of a real rule has the id `<id>-v<k>` and, in each `match` signature, one word of
its literal (declared or the longest plain word of the regex) grown by a suffix that depends on
k ("refused" -> "refusedqb"), in the regex, the literal and the examples alike. The variants are
real-shaped (same regex structure, same kind of literal, same captures) but fire on nothing in
the corpus, like most rules of a large set. Deterministic: the same N gives the same files.
"""
import os, re, shutil, sys
import yaml

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
rules_dir = os.path.join(root, "Rules")


def suffix(k):
    letters = "bcdfghjkmnpqrstvwxz"
    out = ""
    k += len(letters)  # at least two letters
    while k:
        k, r = divmod(k, len(letters))
        out += letters[r]
    return out


WORD = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z]{4,}(?![A-Za-z0-9_])")
GROUP = re.compile(r"\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>")


def plain_words(regex):
    """Words of the regex outside escapes, classes, group names and quantifiers."""
    words = []
    for m in WORD.finditer(regex):
        before = regex[: m.start()]
        if before.endswith(("\\", "(?<", "(?P<", "(?'", "\\p{", "\\k<")):
            continue
        if before.count("[") > before.count("]"):
            continue
        words.append(m)
    return words


def mutate(signature, k):
    regex = signature["regex"]
    literal = signature.get("literal")
    literals = literal if isinstance(literal, list) else ([literal] if literal else [])
    candidates = plain_words(regex)
    pick = None
    for lit in literals:
        for m in WORD.finditer(lit):
            if any(c.group(0) == m.group(0) for c in candidates):
                pick = m.group(0)
                break
        if pick:
            break
    if pick is None and candidates:
        pick = max(candidates, key=lambda m: len(m.group(0))).group(0)
    if pick is None:
        return None
    grown = pick + suffix(k)
    for m in candidates:
        if m.group(0) == pick:
            regex = regex[: m.start()] + grown + regex[m.end():]
            break
    if GROUP.findall(regex) != GROUP.findall(signature["regex"]):
        return None
    out = dict(signature)
    out["regex"] = regex
    if literal is not None:
        if isinstance(literal, list):
            out["literal"] = [l.replace(pick, grown, 1) for l in literal]
        else:
            out["literal"] = literal.replace(pick, grown, 1)
    return out, pick, grown


def main():
    count, out_dir = int(sys.argv[1]), sys.argv[2]
    if os.path.exists(out_dir):
        shutil.rmtree(out_dir)
    shutil.copytree(rules_dir, out_dir)
    real = []
    for dirpath, _, names in sorted(os.walk(rules_dir)):
        if os.path.basename(dirpath) == "data":
            continue
        for name in sorted(names):
            if name.endswith(".yaml"):
                with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                    real.append(yaml.safe_load(f))
    os.makedirs(os.path.join(out_dir, "variants"), exist_ok=True)
    made, k = len(real), 0
    while made < count:
        rule = real[k % len(real)]
        variant = k // len(real) + 1
        k += 1
        signatures, words = [], []
        for signature in rule["match"]:
            mutated = mutate(signature, variant * 7 + len(signatures))
            if mutated is None:
                break
            signatures.append(mutated[0])
            words.append(mutated[1:])
        if len(signatures) != len(rule["match"]):
            continue

        def rewrite(text):
            for pick, grown in words:
                text = text.replace(pick, grown)
            return text

        new = {key: value for key, value in rule.items() if key not in ("explains", "examples")}
        new["id"] = "%s-v%d" % (rule["id"], variant)
        new["match"] = signatures
        examples = rule["examples"]
        new["examples"] = {
            "match": [rewrite(e) if isinstance(e, str) else dict(e, text=rewrite(e["text"])) for e in examples["match"]],
            "nomatch": examples["nomatch"],
        }
        with open(os.path.join(out_dir, "variants", new["id"] + ".yaml"), "w", encoding="utf-8") as f:
            yaml.safe_dump(new, f, sort_keys=False, allow_unicode=True, width=1000)
        made += 1


main()
